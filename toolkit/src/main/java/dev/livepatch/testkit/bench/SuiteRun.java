package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * What a whole run of a suite gave, as its runner reported it.
 *
 * @param cases every test that ran, with how it ended
 * @param found the tests found
 * @param passed the tests that passed
 * @param skipped the tests skipped or aborted
 * @param failures the failures, of tests and of their containers
 * @param parallel how many test classes ran at once
 */
@API(status = INTERNAL, since = "0.2")
public record SuiteRun(List<Case> cases, long found, long passed, long skipped, long failures, int parallel) {
    public SuiteRun {
        cases = List.copyOf(cases);
    }

    /**
     * One test's outcome.
     *
     * @param testClass the simple name of its class, e.g. {@code SelftestShadowVarsIT}
     * @param name its display name, e.g. {@code the kernel's scripts › test-shadow-vars.sh › basic shadow variable API}
     */
    public record Case(String testClass, String name, boolean passed, Duration duration) {}
}
