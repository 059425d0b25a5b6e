package dev.livepatch.testkit.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Gathers each test's outcome under its class, in execution order, and hands the run to the report writers when
 * it ends, classes by name (classes running side by side finish in any order). A class that fails before its tests run (say its guest did not boot) counts each test as failed with
 * the class's error.
 */
public final class OutcomeCollector implements TestExecutionListener {
    /** The report entries of the toolkit's extension that hold a transition's timeline as JSON. */
    static final String TRANSITION_ENTRY = "livepatch transition ";

    private final List<ReportWriter> writers;
    private final Map<String, Long> started = new ConcurrentHashMap<>();
    private final Map<String, List<TestOutcome>> suites = new LinkedHashMap<>();
    private final Map<String, String> classNames = new LinkedHashMap<>();
    private final Map<String, List<String>> tags = new LinkedHashMap<>();
    private final Map<String, List<String>> transitions = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> artefacts = new ConcurrentHashMap<>();
    private TestPlan plan;

    public OutcomeCollector(List<ReportWriter> writers) {
        this.writers = List.copyOf(writers);
    }

    @Override
    public synchronized void testPlanExecutionStarted(TestPlan testPlan) {
        plan = testPlan;
    }

    @Override
    public synchronized void executionStarted(TestIdentifier identifier) {
        started.put(identifier.getUniqueId(), System.nanoTime());
        classOf(identifier).ifPresent(className -> suite(identifier, className));
    }

    @Override
    public synchronized void executionSkipped(TestIdentifier identifier, String reason) {
        if (identifier.isTest()) {
            add(
                    identifier,
                    new TestOutcome(
                            name(identifier), TestOutcome.Status.SKIPPED, Duration.ZERO, Optional.ofNullable(reason)));
        } else if (classOf(identifier).isPresent()) {
            for (TestIdentifier test : tests(identifier)) {
                add(
                        test,
                        new TestOutcome(
                                name(test), TestOutcome.Status.SKIPPED, Duration.ZERO, Optional.ofNullable(reason)));
            }
        }
    }

    /**
     * Keeps what each test published: the toolkit's transition timelines, and its other entries as artefacts. What a
     * class publishes (the guest it leased) has no place in a test's outcome.
     */
    @Override
    public synchronized void reportingEntryPublished(TestIdentifier identifier, ReportEntry entry) {
        if (!identifier.isTest()) {
            return;
        }
        entry.getKeyValuePairs().forEach((key, value) -> {
            if (key.startsWith(TRANSITION_ENTRY)) {
                transitions
                        .computeIfAbsent(identifier.getUniqueId(), id -> new ArrayList<>())
                        .add(value);
            } else {
                artefacts
                        .computeIfAbsent(identifier.getUniqueId(), id -> new LinkedHashMap<>())
                        .put(key, value);
            }
        });
    }

    @Override
    public synchronized void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        Long start = started.remove(identifier.getUniqueId());
        Duration took = start == null ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - start);
        Optional<String> message = result.getThrowable().map(OutcomeCollector::describe);
        if (identifier.isTest()) {
            List<String> awaited = transitions.getOrDefault(identifier.getUniqueId(), List.of());
            Map<String, String> published = artefacts.getOrDefault(identifier.getUniqueId(), Map.of());
            transitions.remove(identifier.getUniqueId());
            artefacts.remove(identifier.getUniqueId());
            add(identifier, new TestOutcome(name(identifier), status(result), took, message, awaited, published));
        } else if (classOf(identifier).isPresent() && result.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            // Tests that never started because their class failed around them (e.g. in @BeforeAll).
            List<TestOutcome> recorded = suites.getOrDefault(identifier.getUniqueId(), List.of());
            for (TestIdentifier test : tests(identifier)) {
                if (recorded.stream().noneMatch(outcome -> outcome.name().equals(name(test)))) {
                    add(test, new TestOutcome(name(test), status(result), Duration.ZERO, message));
                }
            }
        }
    }

    @Override
    public synchronized void testPlanExecutionFinished(TestPlan testPlan) {
        List<SuiteOutcome> outcomes = new ArrayList<>();
        suites.forEach((id, tests) -> {
            if (!tests.isEmpty()) {
                String className = classNames.get(id);
                outcomes.add(new SuiteOutcome(
                        className.substring(className.lastIndexOf('.') + 1),
                        className,
                        tags.getOrDefault(id, List.of()),
                        tests));
            }
        });
        outcomes.sort(Comparator.comparing(SuiteOutcome::className));
        for (ReportWriter writer : writers) {
            writer.write(outcomes);
        }
    }

    private synchronized void suite(TestIdentifier identifier, String className) {
        suites.computeIfAbsent(identifier.getUniqueId(), id -> new ArrayList<>());
        classNames.put(identifier.getUniqueId(), className);
        tags.computeIfAbsent(identifier.getUniqueId(), id -> suiteTags(identifier));
    }

    /** The class's suite tags and its ancestors' (a class template's runs do not carry the class's tags). */
    private List<String> suiteTags(TestIdentifier identifier) {
        Set<String> found = new TreeSet<>();
        for (Optional<TestIdentifier> current = Optional.of(identifier);
                current.isPresent();
                current = plan.getParent(current.get())) {
            current.get().getTags().stream()
                    .map(TestTag::getName)
                    .filter(tag -> !SuiteOutcome.PREREQUISITE_TAGS.contains(tag))
                    .forEach(found::add);
        }
        return List.copyOf(found);
    }

    private synchronized void add(TestIdentifier test, TestOutcome outcome) {
        Optional<TestIdentifier> owner = owningClass(test);
        if (owner.isEmpty()) {
            return;
        }
        suite(owner.get(), classOf(owner.get()).orElseThrow());
        suites.get(owner.get().getUniqueId()).add(outcome);
    }

    private Optional<TestIdentifier> owningClass(TestIdentifier test) {
        Optional<TestIdentifier> current = plan.getParent(test);
        while (current.isPresent() && classOf(current.get()).isEmpty()) {
            current = plan.getParent(current.get());
        }
        return current;
    }

    private List<TestIdentifier> tests(TestIdentifier container) {
        List<TestIdentifier> tests = new ArrayList<>();
        for (TestIdentifier child : plan.getChildren(container)) {
            if (child.isTest()) {
                tests.add(child);
            } else {
                tests.addAll(tests(child));
            }
        }
        return tests;
    }

    private static Optional<String> classOf(TestIdentifier identifier) {
        return identifier
                .getSource()
                .filter(ClassSource.class::isInstance)
                .map(source -> ((ClassSource) source).getClassName());
    }

    /**
     * The test's name within its class: the containers between them first (a parameterized method, a test factory's
     * dynamic containers), so that two dynamic tests of one name under different containers stay apart.
     */
    private String name(TestIdentifier identifier) {
        List<String> names = new ArrayList<>();
        names.add(identifier.getDisplayName());
        Optional<TestIdentifier> current = plan.getParent(identifier);
        while (current.isPresent() && classOf(current.get()).isEmpty()) {
            // A parameterized method's default name carries its parameter types: the method's name says enough.
            names.add(0, current.get().getDisplayName().replaceFirst("\\(.*\\)$", ""));
            current = plan.getParent(current.get());
        }
        return String.join(" › ", names);
    }

    private static TestOutcome.Status status(TestExecutionResult result) {
        return switch (result.getStatus()) {
            case SUCCESSFUL -> TestOutcome.Status.PASSED;
            case ABORTED -> TestOutcome.Status.ABORTED;
            case FAILED -> TestOutcome.Status.FAILED;
        };
    }

    private static String describe(Throwable failure) {
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message.strip());
    }
}
