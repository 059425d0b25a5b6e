package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.lifecycle.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/** Prints one line per finished test as it finishes, with its time, and the failure message if any. */
final class LiveSummaryListener implements TestExecutionListener {
    private final PrintStream out;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private TestPlan plan;

    LiveSummaryListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
        long count = testPlan.countTestIdentifiers(TestIdentifier::isTest);
        out.println("Running " + count + " test(s)");
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        started.put(identifier.getUniqueId(), System.nanoTime());
    }

    @Override
    public void executionSkipped(TestIdentifier identifier, String reason) {
        if (identifier.isTest()
                || identifier.isContainer() && identifier.getSource().isPresent()) {
            out.println("  - " + name(identifier) + " skipped: " + reason);
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Long start = started.remove(identifier.getUniqueId());
        String took = start == null ? "" : " (" + Durations.format(Duration.ofNanos(System.nanoTime() - start)) + ")";
        if (identifier.isTest()) {
            String mark = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "✓" : "✗";
            out.println("  " + mark + " " + name(identifier) + took);
        }
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            result.getThrowable()
                    .ifPresent(error -> out.println("      " + firstLines(String.valueOf(error.getMessage()))));
        }
    }

    private String name(TestIdentifier identifier) {
        String parent = plan == null
                ? ""
                : plan.getParent(identifier)
                        .map(p -> p.getDisplayName() + " › ")
                        .orElse("");
        return parent + identifier.getDisplayName();
    }

    private static String firstLines(String message) {
        return String.join("\n      ", message.lines().limit(12).toList());
    }
}
