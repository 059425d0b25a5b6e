package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.report.TestOutcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/** Counts each test's outcome under every suite tag it carries (a test method inherits its class's tags). */
final class TagTally implements TestExecutionListener {
    static final Set<String> PREREQUISITE_TAGS = SuiteOutcome.PREREQUISITE_TAGS;

    /** Each suite tag's counts in a finished run's results, as a live tally has them. */
    static Map<String, Counts> bySuite(List<SuiteOutcome> suites) {
        Map<String, Counts> counts = new TreeMap<>();
        for (SuiteOutcome suite : suites) {
            Counts of = new Counts(
                    (int) suite.count(TestOutcome.Status.PASSED), (int) suite.count(TestOutcome.Status.FAILED), (int)
                            (suite.count(TestOutcome.Status.SKIPPED) + suite.count(TestOutcome.Status.ABORTED)));
            suite.tags().forEach(tag -> counts.merge(tag, of, Counts::plus));
        }
        return counts;
    }

    /** One suite's counts. */
    record Counts(int passed, int failed, int skipped) {
        Counts plus(Counts other) {
            return new Counts(passed + other.passed, failed + other.failed, skipped + other.skipped);
        }

        /** e.g. {@code 11 passed}, {@code 9 passed, 2 failed}, {@code 2 skipped}. */
        String describe() {
            StringBuilder text = new StringBuilder();
            append(text, passed, "passed");
            append(text, failed, "failed");
            append(text, skipped, "skipped");
            return text.length() == 0 ? "no tests" : text.toString();
        }

        private static void append(StringBuilder text, int count, String what) {
            if (count > 0) {
                text.append(text.length() == 0 ? "" : ", ")
                        .append(count)
                        .append(' ')
                        .append(what);
            }
        }
    }

    private final Map<String, Counts> bySuite = new ConcurrentHashMap<>();
    private volatile TestPlan plan;

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            add(test, new Counts(0, 0, 1));
        }
    }

    @Override
    public synchronized void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (test.isContainer() && result.getStatus() == TestExecutionResult.Status.FAILED && plan != null) {
            // A class whose setup failed ran none of its tests: each of them failed.
            plan.getDescendants(test).stream()
                    .filter(TestIdentifier::isTest)
                    .forEach(never -> add(never, new Counts(0, 1, 0)));
            return;
        }
        if (!test.isTest()) {
            return;
        }
        add(
                test,
                switch (result.getStatus()) {
                    case SUCCESSFUL -> new Counts(1, 0, 0);
                    case FAILED -> new Counts(0, 1, 0);
                    case ABORTED -> new Counts(0, 0, 1);
                });
    }

    private void add(TestIdentifier test, Counts counts) {
        for (String tag : suiteTags(test)) {
            bySuite.merge(tag, counts, Counts::plus);
        }
    }

    /** The test's tags and its ancestors': a class template's runs do not pass the class's tags on to their tests. */
    private Set<String> suiteTags(TestIdentifier test) {
        Set<String> tags = new TreeSet<>();
        for (Optional<TestIdentifier> current = Optional.of(test);
                current.isPresent();
                current = plan == null ? Optional.empty() : plan.getParent(current.get())) {
            current.get().getTags().stream()
                    .map(TestTag::getName)
                    .filter(name -> !PREREQUISITE_TAGS.contains(name))
                    .forEach(tags::add);
        }
        return tags;
    }

    Map<String, Counts> bySuite() {
        return new TreeMap<>(bySuite);
    }
}
