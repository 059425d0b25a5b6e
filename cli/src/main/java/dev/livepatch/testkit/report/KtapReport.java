package dev.livepatch.testkit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The run in KTAP version 1, the format of the kernel's own selftests and KUnit: one subtest per test class, one
 * result line per test, failure messages as {@code #} diagnostic lines before the result, and {@code # SKIP} for
 * skipped or aborted tests. Kernel tooling (e.g. {@code kunit.py parse}) reads it as it reads selftest output.
 */
public final class KtapReport {
    private KtapReport() {}

    private static final String INDENT = "    ";

    /** The report's text; {@code kernel} names the kernel every test ran on, when one did. */
    public static String render(List<SuiteOutcome> suites, Optional<String> kernel) {
        List<String> lines = new ArrayList<>();
        lines.add("KTAP version 1");
        lines.add("1.." + suites.size());
        kernel.ifPresent(name -> lines.add("# kernel: " + name));
        for (int s = 0; s < suites.size(); s++) {
            SuiteOutcome suite = suites.get(s);
            lines.add(INDENT + "KTAP version 1");
            lines.add(INDENT + "# Subtest: " + suite.name());
            lines.add(INDENT + "1.." + suite.tests().size());
            for (int t = 0; t < suite.tests().size(); t++) {
                TestOutcome test = suite.tests().get(t);
                String name = name(test.name());
                switch (test.status()) {
                    case PASSED -> lines.add(INDENT + "ok " + (t + 1) + " " + name);
                    case FAILED -> {
                        test.message()
                                .ifPresent(message ->
                                        message.lines().limit(20).forEach(line -> lines.add(INDENT + "# " + line)));
                        lines.add(INDENT + "not ok " + (t + 1) + " " + name);
                    }
                    case ABORTED, SKIPPED ->
                        lines.add(INDENT + "ok " + (t + 1) + " " + name + " # SKIP"
                                + test.message()
                                        .map(reason -> " " + firstLine(reason))
                                        .orElse(""));
                }
            }
            lines.add((suite.failed() ? "not ok " : "ok ") + (s + 1) + " " + name(suite.name()));
        }
        return String.join("\n", lines) + "\n";
    }

    /** A result line's name may not hold {@code #}, which starts a directive. */
    private static String name(String displayName) {
        return displayName.replace("()", "").replace('#', ' ').strip();
    }

    private static String firstLine(String text) {
        return text.lines().findFirst().orElse("").replace('#', ' ').strip();
    }
}
