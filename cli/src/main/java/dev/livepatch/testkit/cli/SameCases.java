package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.report.TestOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

/**
 * The selftest cases that both the toolkit's suite and the kernel's own scripts ran, and what they cost on each side:
 * a case is the same when its name matches within the same script ({@code test-shadow-vars.sh} pairs with
 * {@code SelftestShadowVarsIT}), as case names repeat across scripts.
 */
record SameCases(int count, Duration toolkit, Duration kernelScripts) {
    private static final String SEPARATOR = " › ";

    static SameCases of(List<SuiteOutcome> toolkitSuite, List<SuiteOutcome> kernelScripts) {
        Map<String, Duration> ours = new HashMap<>();
        for (SuiteOutcome suite : toolkitSuite) {
            suite.tests().stream()
                    .filter(test -> test.status() == TestOutcome.Status.PASSED)
                    .forEach(test -> ours.put(toolkitKey(suite.name(), test.name()), test.duration()));
        }
        int count = 0;
        Duration toolkit = Duration.ZERO;
        Duration theirs = Duration.ZERO;
        for (SuiteOutcome suite : kernelScripts) {
            for (TestOutcome test : suite.tests()) {
                Duration our = scriptKey(test).map(ours::get).orElse(null);
                if (our != null) {
                    count++;
                    toolkit = toolkit.plus(our);
                    theirs = theirs.plus(test.duration());
                }
            }
        }
        return new SameCases(count, toolkit, theirs);
    }

    /**
     * Only the toolkit's tests that pair with a case the kernel's scripts passed, and every test whose name is known
     * only once it runs (invocations of a template), so that the toolkit runs what the scripts ran.
     */
    static PostDiscoveryFilter toolkitTestsOf(List<SuiteOutcome> kernelScripts) {
        Set<String> cases = new HashSet<>();
        for (SuiteOutcome suite : kernelScripts) {
            for (TestOutcome test : suite.tests()) {
                scriptKey(test).ifPresent(cases::add);
            }
        }
        return descriptor -> {
            if (!descriptor.isTest() || !(descriptor.getSource().orElse(null) instanceof MethodSource method)) {
                return FilterResult.included("not a single test");
            }
            String simpleName =
                    method.getClassName().substring(method.getClassName().lastIndexOf('.') + 1);
            return FilterResult.includedIf(
                    cases.contains(toolkitKey(simpleName, descriptor.getDisplayName())),
                    () -> "the kernel's scripts ran this case",
                    () -> "the kernel's scripts did not run this case");
        };
    }

    /** The kernel's scripts' time over the toolkit's. */
    double ratio() {
        return kernelScripts.toNanos() / (double) Math.max(1, toolkit.toNanos());
    }

    /** A passed case of the kernel's scripts, {@code <...> › test-<script>.sh › <case>}, by its script and name. */
    private static Optional<String> scriptKey(TestOutcome test) {
        String[] parts = test.name().split(SEPARATOR);
        if (parts.length < 2 || test.status() != TestOutcome.Status.PASSED) {
            return Optional.empty();
        }
        String script = parts[parts.length - 2].replaceFirst("^test-", "").replaceFirst("\\.sh$", "");
        return Optional.of(key(script, parts[parts.length - 1]));
    }

    /** A test of the toolkit's suite by its script ({@code SelftestShadowVarsIT}: shadow-vars) and case name. */
    private static String toolkitKey(String className, String testName) {
        return key(className.replaceFirst("^Selftest", "").replaceFirst("IT$", ""), lastPart(testName));
    }

    private static String key(String script, String test) {
        return script.replace("-", "").toLowerCase(Locale.ROOT) + SEPARATOR + test;
    }

    private static String lastPart(String name) {
        int at = name.lastIndexOf(SEPARATOR);
        return at < 0 ? name : name.substring(at + SEPARATOR.length());
    }
}
