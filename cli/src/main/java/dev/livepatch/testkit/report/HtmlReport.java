package dev.livepatch.testkit.report;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run as one self-contained page ({@code report.html}: no script, no network): totals, the failed tests linked
 * first, a table of the test classes (those with failures first), then each test (failed ones first) with its
 * status, time and message, the transitions it awaited drawn as {@link TimelineSvg timelines}, the patch history
 * they make, and what a failed test left (serial console, kernel log, sysfs, blockers).
 */
public final class HtmlReport {
    private HtmlReport() {}

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String STYLE = """
            body{font-family:system-ui,sans-serif;margin:2em;color:#222}
            h1{font-size:1.4em}h2{font-size:1.15em;margin-top:2em}
            table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
            .passed{color:#1a7f37}.failed{color:#cf222e}.aborted,.skipped{color:#9a6700}
            details.test{margin:.3em 0;padding:.2em .5em;border-left:4px solid #ccc}
            details.test.failed{border-color:#cf222e}details.test.passed{border-color:#1a7f37}
            details.test.skipped,details.test.aborted{border-color:#9a6700}
            pre{background:#f6f8fa;padding:.5em;overflow:auto;max-height:30em}
            figure.transition{margin:1em 0;max-width:1100px}
            svg.timeline{display:block;width:100%;height:auto;background:#fbfbfb;border:1px solid #ddd}
            .ev-started{stroke:#0969da}.ev-retry{stroke:#bf8700}.ev-signaled{stroke:#8250df}
            .ev-reversed{stroke:#cf222e}.ev-forced{stroke:#000}.ev-completed{stroke:#1a7f37}
            ul.legend{list-style:none;padding:0;margin:.3em 0;display:flex;flex-wrap:wrap;gap:1.2em;font-size:.9em}
            .swatch{display:inline-block;width:1.6em;height:0;margin-right:.4em;vertical-align:middle;
            border-top:2px dashed currentColor}
            .swatch.pending{border-top:3px solid #0969da}.swatch.ev-started{color:#0969da}
            .swatch.ev-retry{color:#bf8700}.swatch.ev-signaled{color:#8250df}.swatch.ev-reversed{color:#cf222e}
            .swatch.ev-forced{color:#000}.swatch.ev-completed{color:#1a7f37}
            .swatch.blocker{width:.7em;height:.7em;border:0;border-radius:50%;background:#bf8700}
            #failures{border-left:4px solid #cf222e;padding:.2em 1em}
            """;

    /** The report's text; {@code kernel} names the kernel every test ran on, when one did. */
    public static String render(List<SuiteOutcome> suites, Optional<String> kernel) {
        StringBuilder html = new StringBuilder();
        String title = "livepatch-testkit" + kernel.map(name -> " on " + name).orElse("");
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>")
                .append(escape(title))
                .append("</h1>\n<p id=\"totals\">")
                .append(totals(suites))
                .append("</p>\n")
                .append(failures(suites))
                .append("<table id=\"overview\"><tr><th>test class</th><th>passed</th><th>failed</th>"
                        + "<th>skipped</th><th>time</th></tr>\n");
        for (SuiteOutcome suite : failedFirst(suites)) {
            Duration time = suite.tests().stream().map(TestOutcome::duration).reduce(Duration.ZERO, Duration::plus);
            html.append("<tr class=\"")
                    .append(suite.failed() ? "failed" : "passed")
                    .append("\"><td><a href=\"#")
                    .append(anchor(suite))
                    .append("\">")
                    .append(escape(suite.name()))
                    .append("</a></td><td>")
                    .append(suite.count(TestOutcome.Status.PASSED))
                    .append("</td><td>")
                    .append(suite.count(TestOutcome.Status.FAILED))
                    .append("</td><td>")
                    .append(suite.count(TestOutcome.Status.SKIPPED) + suite.count(TestOutcome.Status.ABORTED))
                    .append("</td><td>")
                    .append(seconds(time))
                    .append("</td></tr>\n");
        }
        html.append("</table>\n");
        for (SuiteOutcome suite : failedFirst(suites)) {
            html.append("<section class=\"suite\" id=\"")
                    .append(anchor(suite))
                    .append("\"><h2>")
                    .append(escape(suite.name()))
                    .append("</h2>\n");
            List<TestOutcome> tests = suite.tests();
            tests.stream()
                    .sorted(Comparator.comparing(test -> test.status() != TestOutcome.Status.FAILED))
                    .forEach(test -> html.append(test(test, anchor(suite, tests.indexOf(test)))));
            html.append("</section>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    /** The failed tests, before everything else, each linked to its entry. */
    private static String failures(List<SuiteOutcome> suites) {
        StringBuilder html = new StringBuilder();
        for (SuiteOutcome suite : suites) {
            for (int index = 0; index < suite.tests().size(); index++) {
                TestOutcome test = suite.tests().get(index);
                if (test.status() == TestOutcome.Status.FAILED) {
                    html.append("<li><a href=\"#")
                            .append(anchor(suite, index))
                            .append("\">")
                            .append(escape(suite.name() + " › " + test.name()))
                            .append("</a>")
                            .append(test.message()
                                    .map(message -> ": "
                                            + escape(message.lines().findFirst().orElse("")))
                                    .orElse(""))
                            .append("</li>\n");
                }
            }
        }
        return html.isEmpty() ? "" : "<section id=\"failures\"><h2>Failed</h2><ul>\n" + html + "</ul></section>\n";
    }

    private static List<SuiteOutcome> failedFirst(List<SuiteOutcome> suites) {
        return suites.stream()
                .sorted(Comparator.comparing(suite -> !suite.failed()))
                .toList();
    }

    /**
     * What a status is called on the page: an aborted test (an assumption did not hold, such as a kernel without
     * the attribute a test needs) is a skipped one, as the counts say.
     */
    static String label(TestOutcome.Status status) {
        return status == TestOutcome.Status.ABORTED ? "skipped" : status.name().toLowerCase(Locale.ROOT);
    }

    private static String test(TestOutcome test, String anchor) {
        String status = label(test.status());
        StringBuilder html = new StringBuilder("<details class=\"test ")
                .append(status)
                .append("\" id=\"")
                .append(anchor)
                .append('"')
                .append(test.status() == TestOutcome.Status.FAILED ? " open" : "")
                .append("><summary><span class=\"")
                .append(status)
                .append("\">")
                .append(status)
                .append("</span> ")
                .append(escape(test.name()))
                .append(" (")
                .append(seconds(test.duration()))
                .append(")</summary>\n");
        test.message()
                .ifPresent(message -> html.append("<pre class=\"message\">")
                        .append(escape(message))
                        .append("</pre>\n"));
        if (!test.transitions().isEmpty()) {
            html.append(history(test.transitions()));
            for (String transition : test.transitions()) {
                html.append(TimelineSvg.of(JSON.readTree(transition)));
            }
        }
        test.artefacts()
                .forEach((key, value) -> html.append("<details class=\"artefact\"><summary>")
                        .append(escape(key))
                        .append("</summary><pre>")
                        .append(escape(value))
                        .append("</pre></details>\n"));
        return html.append("</details>\n").toString();
    }

    /** Which patch each transition moved, in order, and how it ended: the patches a test stacked, replaced, lost. */
    private static String history(List<String> transitions) {
        StringBuilder html = new StringBuilder(
                "<table class=\"history\"><tr><th>#</th><th>patch</th><th>transition</th><th>ended</th>"
                        + "<th>retries</th><th>signal rounds</th><th>took</th></tr>\n");
        int number = 1;
        for (String text : transitions) {
            JsonNode transition = JSON.readTree(text);
            String started = "";
            for (JsonNode event : transition.path("events")) {
                if (event.path("kind").asString().equals("started")) {
                    started = event.path("detail").asString().replaceAll("^.*starting ", "");
                }
            }
            html.append("<tr><td>")
                    .append(number++)
                    .append("</td><td>")
                    .append(escape(transition.path("patch").asString()))
                    .append("</td><td>")
                    .append(escape(started))
                    .append("</td><td>")
                    .append(escape(transition.path("ending").asString()))
                    .append("</td><td>")
                    .append(transition.path("retries").asLong())
                    .append("</td><td>")
                    .append(transition.path("signalRounds").asLong())
                    .append("</td><td>")
                    .append(
                            transition.path("durationMs").isNumber()
                                    ? transition.path("durationMs").asLong() + " ms"
                                    : "")
                    .append("</td></tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static String totals(List<SuiteOutcome> suites) {
        long tests = suites.stream().mapToLong(suite -> suite.tests().size()).sum();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (TestOutcome.Status status : TestOutcome.Status.values()) {
            counts.merge(
                    label(status),
                    suites.stream().mapToLong(suite -> suite.count(status)).sum(),
                    Long::sum);
        }
        StringBuilder text = new StringBuilder().append(tests).append(" tests");
        counts.forEach((label, count) -> {
            if (count > 0) {
                text.append(", <span class=\"")
                        .append(label)
                        .append("\">")
                        .append(count)
                        .append(' ')
                        .append(label)
                        .append("</span>");
            }
        });
        return text.toString();
    }

    private static String anchor(SuiteOutcome suite) {
        return "suite-" + suite.className().replaceAll("[^A-Za-z0-9_-]", "-");
    }

    private static String anchor(SuiteOutcome suite, int test) {
        return anchor(suite) + "-" + (test + 1);
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /**
     * The page of a reproduced stall ({@code ./testkit stall}'s bundle): the explanation, the transitions as in a
     * test's report (the stalled one, then its ending), and the kernel log and sysfs as artefacts.
     */
    public static String stallPage(
            String title, String explanation, List<String> transitions, Map<String, String> artefacts) {
        StringBuilder html = new StringBuilder(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title><style>")
                .append(STYLE)
                .append("</style></head><body>\n<h1>")
                .append(escape(title))
                .append("</h1>\n<pre class=\"explanation\">")
                .append(escape(explanation))
                .append("</pre>\n");
        if (!transitions.isEmpty()) {
            html.append(history(transitions));
            transitions.forEach(transition -> html.append(TimelineSvg.of(JSON.readTree(transition))));
        }
        artefacts.forEach((key, value) -> html.append("<details class=\"artefact\"><summary>")
                .append(escape(key))
                .append("</summary><pre>")
                .append(escape(value))
                .append("</pre></details>\n"));
        return html.append("</body></html>\n").toString();
    }

    /**
     * An index of the runs on several kernels: the kernel x suite table (cells as the console table words them,
     * e.g. {@code 9 passed, 2 failed}), each kernel's page linked.
     */
    public static String index(Map<String, Path> pages, Map<String, Map<String, String>> cells, List<String> columns) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>livepatch-testkit across kernels</title><style>" + STYLE + "</style></head><body>\n"
                + "<h1>livepatch-testkit across kernels</h1>\n<table id=\"kernels\"><tr><th>kernel</th>");
        columns.forEach(column -> html.append("<th>").append(escape(column)).append("</th>"));
        html.append("</tr>\n");
        pages.forEach((kernel, page) -> {
            html.append("<tr><td><a href=\"")
                    .append(escape(page.toString()))
                    .append("\">")
                    .append(escape(kernel))
                    .append("</a></td>");
            columns.forEach(column -> {
                String cell = cells.getOrDefault(kernel, Map.of()).getOrDefault(column, "");
                html.append("<td class=\"")
                        .append(cell.contains("failed") ? "failed" : "passed")
                        .append("\">")
                        .append(escape(cell))
                        .append("</td>");
            });
            html.append("</tr>\n");
        });
        return html.append("</table></body></html>\n").toString();
    }
}
