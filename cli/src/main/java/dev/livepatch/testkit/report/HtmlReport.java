package dev.livepatch.testkit.report;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run as one self-contained page ({@code report.html}: no script, no network): totals and a table of the test
 * classes, then each test with its status, time and message, the transitions it awaited drawn as SVG timelines (tasks
 * not yet switched over time, with the kernel's retries, signals, reversal, forcing and completion marked), the
 * patch history they make, and what a failed test left (serial console, kernel log, sysfs, blockers).
 */
public final class HtmlReport implements ReportWriter {
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
            svg.timeline{background:#fbfbfb;border:1px solid #ddd}
            .ev-started{stroke:#0969da}.ev-retry{stroke:#bf8700}.ev-signaled{stroke:#8250df}
            .ev-reversed{stroke:#cf222e}.ev-forced{stroke:#000}.ev-completed{stroke:#1a7f37}
            """;

    private final Path file;
    private final Optional<String> kernel;

    public HtmlReport(Path file, Optional<String> kernel) {
        this.file = file;
        this.kernel = kernel;
    }

    @Override
    public void write(List<SuiteOutcome> suites) {
        ReportFiles.write(file, render(suites, kernel));
    }

    static String render(List<SuiteOutcome> suites, Optional<String> kernel) {
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
                .append("</p>\n<table id=\"overview\"><tr><th>test class</th><th>passed</th><th>failed</th>"
                        + "<th>skipped</th><th>time</th></tr>\n");
        for (SuiteOutcome suite : suites) {
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
        for (SuiteOutcome suite : suites) {
            html.append("<section class=\"suite\" id=\"")
                    .append(anchor(suite))
                    .append("\"><h2>")
                    .append(escape(suite.name()))
                    .append("</h2>\n");
            suite.tests().forEach(test -> html.append(test(test)));
            html.append("</section>\n");
        }
        return html.append("</body></html>\n").toString();
    }

    private static String test(TestOutcome test) {
        String status = test.status().name().toLowerCase(Locale.ROOT);
        StringBuilder html = new StringBuilder("<details class=\"test ")
                .append(status)
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
                html.append(transition(JSON.readTree(transition)));
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

    /** One transition as an SVG timeline: tasks not switched as a step line, the kernel's events as marks. */
    static String transition(JsonNode transition) {
        double start = Double.MAX_VALUE;
        double end = -Double.MAX_VALUE;
        int most = 1;
        for (JsonNode sample : transition.path("samples")) {
            start = Math.min(start, sample.get(0).asDouble());
            end = Math.max(end, sample.get(0).asDouble());
            most = Math.max(most, sample.get(1).asInt());
        }
        for (JsonNode event : transition.path("events")) {
            start = Math.min(start, event.path("atMs").asDouble());
            end = Math.max(end, event.path("atMs").asDouble());
        }
        if (start == Double.MAX_VALUE) {
            return "";
        }
        double span = Math.max(1, end - start);
        StringBuilder svg = new StringBuilder("<figure class=\"transition\"><figcaption>")
                .append(escape(transition.path("patch").asString()))
                .append(": ")
                .append(escape(transition.path("ending").asString()))
                .append("</figcaption>\n<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"640\""
                        + " height=\"130\" viewBox=\"0 0 640 130\" role=\"img\">")
                .append("<text x=\"4\" y=\"24\" font-size=\"10\">")
                .append(most)
                .append("</text><text x=\"4\" y=\"104\" font-size=\"10\">0</text>")
                .append("<text x=\"40\" y=\"122\" font-size=\"10\">0 ms</text><text x=\"560\" y=\"122\""
                        + " font-size=\"10\">")
                .append(Math.round(span))
                .append(" ms</text><line x1=\"40\" y1=\"100\" x2=\"620\" y2=\"100\" stroke=\"#999\"/>");
        StringBuilder points = new StringBuilder();
        double lastY = -1;
        for (JsonNode sample : transition.path("samples")) {
            double x = x(sample.get(0).asDouble(), start, span);
            double y = 100 - 80.0 * sample.get(1).asInt() / most;
            if (lastY >= 0) {
                points.append(format(x)).append(',').append(format(lastY)).append(' ');
            }
            points.append(format(x)).append(',').append(format(y)).append(' ');
            lastY = y;
        }
        if (!points.isEmpty()) {
            svg.append("<polyline class=\"pending\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2\" points=\"")
                    .append(points.toString().strip())
                    .append("\"><title>tasks not switched yet</title></polyline>");
        }
        for (JsonNode event : transition.path("events")) {
            double x = x(event.path("atMs").asDouble(), start, span);
            String kind = event.path("kind").asString();
            svg.append("<line class=\"event ev-")
                    .append(escape(kind))
                    .append("\" x1=\"")
                    .append(format(x))
                    .append("\" y1=\"12\" x2=\"")
                    .append(format(x))
                    .append("\" y2=\"100\" stroke-width=\"2\" stroke-dasharray=\"4 2\"><title>")
                    .append(escape(
                            kind + " at +" + Math.round(event.path("atMs").asDouble() - start) + " ms: "
                                    + event.path("detail").asString()))
                    .append("</title></line>");
        }
        svg.append("</svg>\n<ul class=\"events\">");
        for (JsonNode event : transition.path("events")) {
            svg.append("<li>+")
                    .append(Math.round(event.path("atMs").asDouble() - start))
                    .append(" ms <b>")
                    .append(escape(event.path("kind").asString()))
                    .append("</b> ")
                    .append(escape(event.path("detail").asString()).replace("\n", "; "))
                    .append("</li>");
        }
        return svg.append("</ul></figure>\n").toString();
    }

    private static double x(double at, double start, double span) {
        return 40 + (at - start) / span * 580;
    }

    private static String format(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String totals(List<SuiteOutcome> suites) {
        long tests = suites.stream().mapToLong(suite -> suite.tests().size()).sum();
        StringBuilder text = new StringBuilder().append(tests).append(" tests");
        for (TestOutcome.Status status : TestOutcome.Status.values()) {
            long count = suites.stream().mapToLong(suite -> suite.count(status)).sum();
            if (count > 0) {
                text.append(", <span class=\"")
                        .append(status.name().toLowerCase(Locale.ROOT))
                        .append("\">")
                        .append(count)
                        .append(' ')
                        .append(status.name().toLowerCase(Locale.ROOT))
                        .append("</span>");
            }
        }
        return text.toString();
    }

    private static String anchor(SuiteOutcome suite) {
        return "suite-" + suite.className().replaceAll("[^A-Za-z0-9_-]", "-");
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
            transitions.forEach(transition -> html.append(transition(JSON.readTree(transition))));
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
