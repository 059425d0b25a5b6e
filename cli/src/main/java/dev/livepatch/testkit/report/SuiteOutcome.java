package dev.livepatch.testkit.report;

import java.util.List;
import java.util.Set;

/**
 * The tests of one test class, in the order they ran.
 *
 * @param name the class's simple name, e.g. {@code AtomicReplaceIT}
 * @param className its fully qualified name
 * @param tags its suite tags ({@code atomic-replace}, ...), without those that say what a test needs
 * @param tests its tests' outcomes
 */
public record SuiteOutcome(String name, String className, List<String> tags, List<TestOutcome> tests) {
    /** Tags that say what a test needs, not which suite it belongs to. */
    public static final Set<String> PREREQUISITE_TAGS = Set.of("qemu", "docker", "kbuild");

    public SuiteOutcome {
        tags = List.copyOf(tags);
        tests = List.copyOf(tests);
    }

    /** A class without suite tags. */
    public SuiteOutcome(String name, String className, List<TestOutcome> tests) {
        this(name, className, List.of(), tests);
    }

    public boolean failed() {
        return tests.stream().anyMatch(test -> test.status() == TestOutcome.Status.FAILED);
    }

    public long count(TestOutcome.Status status) {
        return tests.stream().filter(test -> test.status() == status).count();
    }
}
