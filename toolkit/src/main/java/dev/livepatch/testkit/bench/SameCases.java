package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The selftest cases that both the toolkit's suite and the kernel's own scripts ran, and what they cost on each side:
 * a case is the same when its name matches within the same script ({@code test-shadow-vars.sh} pairs with
 * {@code SelftestShadowVarsIT}), as case names repeat across scripts.
 */
@API(status = INTERNAL, since = "0.2")
public record SameCases(int count, Duration toolkit, Duration kernelScripts) {
    private static final String SEPARATOR = " › ";

    /** Which of the toolkit's tests run: by the simple name of the test's class and its display name. */
    @FunctionalInterface
    public interface Selection {
        boolean includes(String testClass, String name);
    }

    static SameCases of(List<SuiteRun.Case> toolkitSuite, List<SuiteRun.Case> kernelScripts) {
        Map<String, Duration> ours = new HashMap<>();
        toolkitSuite.stream()
                .filter(SuiteRun.Case::passed)
                .forEach(test -> ours.put(toolkitKey(test.testClass(), test.name()), test.duration()));
        int count = 0;
        Duration toolkit = Duration.ZERO;
        Duration theirs = Duration.ZERO;
        for (SuiteRun.Case test : kernelScripts) {
            Duration our = scriptKey(test).map(ours::get).orElse(null);
            if (our != null) {
                count++;
                toolkit = toolkit.plus(our);
                theirs = theirs.plus(test.duration());
            }
        }
        return new SameCases(count, toolkit, theirs);
    }

    /** The toolkit's tests that pair with a case the kernel's scripts passed. */
    static Selection toolkitTestsOf(List<SuiteRun.Case> kernelScripts) {
        Set<String> cases = new HashSet<>();
        kernelScripts.forEach(test -> scriptKey(test).ifPresent(cases::add));
        return (testClass, name) -> cases.contains(toolkitKey(testClass, name));
    }

    /** A passed case of the kernel's scripts, {@code <...> › test-<script>.sh › <case>}, by its script and name. */
    private static Optional<String> scriptKey(SuiteRun.Case test) {
        String[] parts = test.name().split(SEPARATOR);
        if (parts.length < 2 || !test.passed()) {
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
