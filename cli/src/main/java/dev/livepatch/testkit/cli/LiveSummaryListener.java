package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.lifecycle.Durations;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints which guest each class run leased as it starts, and one line per finished test as it finishes, with its time, and the failure message if any: its first line,
 * and the lines after it unless the previous failure had the same ones (every test failing on one dead guest would
 * repeat its serial console).
 */
final class LiveSummaryListener implements TestExecutionListener {
    private final PrintStream out;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private TestPlan plan;
    private List<String> lastDetails = List.of();

    LiveSummaryListener(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        this.plan = testPlan;
        // Tests of class templates and parameterized tests are only known once they run: count classes.
        long classes = testPlan.countTestIdentifiers(identifier ->
                identifier.getSource().filter(ClassSource.class::isInstance).isPresent());
        out.println("Running " + classes + " test class(es)");
    }

    @Override
    public synchronized void executionStarted(TestIdentifier identifier) {
        started.put(identifier.getUniqueId(), System.nanoTime());
    }

    /** Which guest each class run leased: with classes side by side, what each guest runs. */
    @Override
    public synchronized void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        String guest = entry.getKeyValuePairs().get(LivepatchTest.GUEST_ENTRY);
        if (guest != null) {
            out.println("  ▸ " + identifier.getDisplayName() + " runs on guest " + guest);
        }
        String replaced = entry.getKeyValuePairs().get(LivepatchTest.GUEST_REPLACED_ENTRY);
        if (replaced != null) {
            out.println("  ! " + replaced);
        }
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
        if (identifier.isTest()
                || identifier.isContainer() && identifier.getSource().isPresent()) {
            out.println("  - " + name(identifier) + " skipped: " + reason);
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Long start = started.remove(identifier.getUniqueId());
        String took = start == null ? "" : " (" + Durations.format(Duration.ofNanos(System.nanoTime() - start)) + ")";
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            // An assumption that did not hold (a kernel without the feature): skipped, with the reason.
            if (identifier.isTest()) {
                String reason = result.getThrowable().map(Throwable::getMessage).orElse("aborted");
                out.println("  - " + name(identifier) + " skipped: " + reason.replaceFirst("^Assumption failed: ", ""));
            }
            return;
        }
        if (identifier.isTest()) {
            String mark = result.getStatus() == TestExecutionResult.Status.SUCCESSFUL ? "✓" : "✗";
            out.println("  " + mark + " " + name(identifier) + took);
        }
        if (result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            result.getThrowable().ifPresent(error -> printMessage(String.valueOf(error.getMessage())));
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

    private synchronized void printMessage(String message) {
        List<String> lines = message.lines().limit(12).toList();
        List<String> details = lines.isEmpty() ? List.of() : lines.subList(1, lines.size());
        String first = lines.isEmpty() ? "" : lines.get(0);
        if (!details.isEmpty() && details.equals(lastDetails)) {
            out.println("      " + first + " (the rest as above)");
            return;
        }
        lastDetails = details;
        out.println("      " + String.join("\n      ", lines));
    }
}
