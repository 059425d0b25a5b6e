package dev.livepatch.testkit.report;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one test ended.
 *
 * @param name the test's display name, e.g. {@code aReplacePatchRevertsOlderFunctions()}
 * @param status passed, failed, aborted (an assumption failed) or skipped (disabled)
 * @param duration from start to finish; zero for a skipped test
 * @param message the failure's message, or why it was skipped or aborted
 * @param transitions the transitions the test awaited, each as the JSON object its report entry holds
 * @param artefacts the other report entries the test published, such as a failed test's serial console tail, by key
 */
public record TestOutcome(
        String name,
        Status status,
        Duration duration,
        Optional<String> message,
        List<String> transitions,
        Map<String, String> artefacts) {

    public TestOutcome {
        transitions = List.copyOf(transitions);
        artefacts = Collections.unmodifiableMap(new LinkedHashMap<>(artefacts));
    }

    public TestOutcome(String name, Status status, Duration duration, Optional<String> message) {
        this(name, status, duration, message, List.of(), Map.of());
    }

    public enum Status {
        PASSED,
        FAILED,
        ABORTED,
        SKIPPED
    }
}
