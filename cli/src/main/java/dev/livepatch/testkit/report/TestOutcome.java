package dev.livepatch.testkit.report;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How one test ended.
 *
 * @param name the test's display name, e.g. {@code aReplacePatchRevertsOlderFunctions()}
 * @param status passed, failed, aborted (an assumption failed) or skipped (disabled)
 * @param duration from start to finish; zero for a skipped test
 * @param message the failure's message, or why it was skipped or aborted
 * @param transitions the transitions the test awaited, each as the JSON object its report entry holds
 */
public record TestOutcome(
        String name, Status status, Duration duration, Optional<String> message, List<String> transitions) {

    public TestOutcome {
        transitions = List.copyOf(transitions);
    }

    public TestOutcome(String name, Status status, Duration duration, Optional<String> message) {
        this(name, status, duration, message, List.of());
    }

    public enum Status {
        PASSED,
        FAILED,
        ABORTED,
        SKIPPED
    }
}
