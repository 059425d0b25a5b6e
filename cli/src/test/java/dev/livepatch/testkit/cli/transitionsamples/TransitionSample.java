package dev.livepatch.testkit.cli.transitionsamples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/** Publishes a transition timeline as the toolkit's extension does after a test. */
class TransitionSample {
    @Test
    void awaitsATransition(TestReporter reporter) {
        reporter.publishEntry("livepatch transition 1", "{\"patch\": \"lpt_a\", \"ending\": \"completed\"}");
        reporter.publishEntry("guest 1 serial-console", "not a transition");
    }
}
