package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.report.TestOutcome;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
            String script = suite.name().replaceFirst("^Selftest", "").replaceFirst("IT$", "");
            suite.tests().stream()
                    .filter(test -> test.status() == TestOutcome.Status.PASSED)
                    .forEach(test -> ours.put(key(script, lastPart(test.name())), test.duration()));
        }
        int count = 0;
        Duration toolkit = Duration.ZERO;
        Duration theirs = Duration.ZERO;
        for (SuiteOutcome suite : kernelScripts) {
            for (TestOutcome test : suite.tests()) {
                String[] parts = test.name().split(SEPARATOR);
                if (parts.length < 2 || test.status() != TestOutcome.Status.PASSED) {
                    continue;
                }
                String script =
                        parts[parts.length - 2].replaceFirst("^test-", "").replaceFirst("\\.sh$", "");
                Duration our = ours.get(key(script, parts[parts.length - 1]));
                if (our != null) {
                    count++;
                    toolkit = toolkit.plus(our);
                    theirs = theirs.plus(test.duration());
                }
            }
        }
        return new SameCases(count, toolkit, theirs);
    }

    /** The kernel's scripts' time over the toolkit's. */
    double ratio() {
        return kernelScripts.toNanos() / (double) Math.max(1, toolkit.toNanos());
    }

    private static String key(String script, String test) {
        return script.replace("-", "").toLowerCase(Locale.ROOT) + SEPARATOR + test;
    }

    private static String lastPart(String name) {
        int at = name.lastIndexOf(SEPARATOR);
        return at < 0 ? name : name.substring(at + SEPARATOR.length());
    }
}
