package dev.livepatch.testkit.report;

import java.util.List;

/**
 * The tests of one test class, in the order they ran.
 *
 * @param name the class's simple name, e.g. {@code AtomicReplaceIT}
 * @param className its fully qualified name
 * @param tests its tests' outcomes
 */
public record SuiteOutcome(String name, String className, List<TestOutcome> tests) {

    public SuiteOutcome {
        tests = List.copyOf(tests);
    }

    public boolean failed() {
        return tests.stream().anyMatch(test -> test.status() == TestOutcome.Status.FAILED);
    }

    public long count(TestOutcome.Status status) {
        return tests.stream().filter(test -> test.status() == status).count();
    }
}
