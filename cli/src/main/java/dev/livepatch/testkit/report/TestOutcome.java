package dev.livepatch.testkit.report;

import java.time.Duration;
import java.util.Optional;

/**
 * How one test ended.
 *
 * @param name the test's display name, e.g. {@code aReplacePatchRevertsOlderFunctions()}
 * @param status passed, failed, aborted (an assumption failed) or skipped (disabled)
 * @param duration from start to finish; zero for a skipped test
 * @param message the failure's message, or why it was skipped or aborted
 */
public record TestOutcome(String name, Status status, Duration duration, Optional<String> message) {

    public enum Status {
        PASSED,
        FAILED,
        ABORTED,
        SKIPPED
    }
}
