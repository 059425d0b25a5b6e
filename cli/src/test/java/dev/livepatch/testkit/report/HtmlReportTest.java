package dev.livepatch.testkit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    private static final String TIMELINE = "{\"patch\":\"lpt_callbacks\",\"ending\":\"reversed\",\"retries\":1,"
            + "\"signalRounds\":1,\"durationMs\":2390,\"samples\":[[12030.0,3],[13230.0,1],[14530.0,0]],\"events\":["
            + "{\"atMs\":12020.0,\"kind\":\"started\",\"detail\":\"livepatch: 'lpt_callbacks': starting patching"
            + " transition\"},{\"atMs\":13040.0,\"kind\":\"retry\",\"detail\":\"kworker/0:1:35 is sleeping on"
            + " function lpt_busy_work_func\"},{\"atMs\":14060.0,\"kind\":\"signaled\",\"detail\":\"livepatch:"
            + " signaling remaining tasks\"},{\"atMs\":14410.0,\"kind\":\"completed\",\"detail\":\"livepatch:"
            + " 'lpt_callbacks': unpatching complete\"}]}";

    private static List<SuiteOutcome> run() {
        return List.of(new SuiteOutcome(
                "AtomicReplaceIT",
                "dev.example.AtomicReplaceIT",
                List.of(
                        new TestOutcome(
                                "reverses()",
                                TestOutcome.Status.PASSED,
                                Duration.ofMillis(2500),
                                Optional.empty(),
                                List.of(TIMELINE),
                                Map.of()),
                        new TestOutcome(
                                "fails()",
                                TestOutcome.Status.FAILED,
                                Duration.ofMillis(700),
                                Optional.of("expected <a> & \"b\""),
                                List.of(),
                                Map.of("guest 1 serial-console", "[ 1.0] <boot>")),
                        new TestOutcome("skipped()", TestOutcome.Status.SKIPPED, Duration.ZERO, Optional.of("no")))));
    }

    @Test
    void thePageHasTheOverviewEachTestAndEscapedTexts() {
        String html = HtmlReport.render(run(), Optional.of("debian:sid"));

        assertThat(html)
                .startsWith("<!DOCTYPE html>")
                .contains("<title>livepatch-testkit on debian:sid</title>")
                .contains("3 tests, <span class=\"passed\">1 passed</span>, <span class=\"failed\">1 failed</span>,"
                        + " <span class=\"skipped\">1 skipped</span>")
                .contains("<td><a href=\"#suite-dev-example-AtomicReplaceIT\">AtomicReplaceIT</a></td><td>1</td>"
                        + "<td>1</td><td>1</td><td>3.2 s</td>")
                .contains(
                        "<details class=\"test failed\" id=\"suite-dev-example-AtomicReplaceIT-2\" open><summary><span"
                                + " class=\"failed\">failed</span> fails()")
                .contains("<pre class=\"message\">expected &lt;a&gt; &amp; &quot;b&quot;</pre>")
                .contains("<summary>guest 1 serial-console</summary><pre>[ 1.0] &lt;boot&gt;</pre>")
                .doesNotContain("<script");
    }

    @Test
    void failedTestsComeFirstAndAnAbortedTestIsCalledSkippedAsInTheCounts() {
        List<SuiteOutcome> suites = List.of(
                new SuiteOutcome(
                        "PassingIT",
                        "dev.example.PassingIT",
                        List.of(new TestOutcome(
                                "needsReplace()",
                                TestOutcome.Status.ABORTED,
                                Duration.ZERO,
                                Optional.of("Assumption failed: no replace attribute")))),
                run().get(0));

        String html = HtmlReport.render(suites, Optional.empty());

        assertThat(html)
                .contains("<p id=\"totals\">4 tests, <span class=\"passed\">1 passed</span>, <span class=\"failed\">1"
                        + " failed</span>, <span class=\"skipped\">2 skipped</span></p>\n<section id=\"failures\"><h2>"
                        + "Failed</h2><ul>\n<li><a href=\"#suite-dev-example-AtomicReplaceIT-2\">AtomicReplaceIT ›"
                        + " fails()</a>: expected &lt;a&gt; &amp; &quot;b&quot;</li>")
                .contains("<details class=\"test skipped\" id=\"suite-dev-example-PassingIT-1\"><summary><span"
                        + " class=\"skipped\">skipped</span> needsReplace()")
                .doesNotContain("aborted</");
        assertThat(html.indexOf("<h2>AtomicReplaceIT</h2>")).isLessThan(html.indexOf("<h2>PassingIT</h2>"));
        assertThat(html.indexOf("fails() (")).isLessThan(html.indexOf("reverses() ("));
    }

    @Test
    void aTransitionIsATimelineWithItsEventsAndARowOfThePatchHistory() {
        String html = HtmlReport.render(run(), Optional.empty());

        assertThat(html)
                .contains("<tr><td>1</td><td>lpt_callbacks</td><td>patching transition</td><td>reversed</td><td>1</td>"
                        + "<td>1</td><td>2390 ms</td></tr>")
                .contains("<svg class=\"timeline\"")
                .contains("<polyline class=\"pending\" fill=\"none\" stroke=\"#0969da\" stroke-width=\"2.5\""
                        + " points=\"75.4,34.0 488.5,34.0 488.5,144.7 936.0,144.7 936.0,200.0\">")
                .contains("<line class=\"event ev-retry\" x1=\"423.1\"")
                .contains("<title>signaled at +2040 ms: livepatch: signaling remaining tasks</title>")
                // both axes say what they count, in which unit, with round ticks
                .contains(">tasks not yet switched</text>")
                .contains(">time since the transition's first event</text>")
                .contains("text-anchor=\"middle\">0 ms</text>")
                .contains("text-anchor=\"middle\">500 ms</text>")
                .contains("text-anchor=\"middle\">2000 ms</text>")
                .contains("text-anchor=\"end\">3</text>")
                // the retry's blocker, where the line stood at the retry
                .contains("<g class=\"blocker\"><circle cx=\"423.1\" cy=\"34.0\"")
                .contains("y=\"52.0\" font-size=\"12\" fill=\"#7d4e00\" text-anchor=\"start\">kworker/0:1:35 in"
                        + " lpt_busy_work_func</text></g>")
                .contains("<li><span class=\"swatch ev-retry\"></span>retry</li>")
                .contains("<li>+2390 ms <b>completed</b> livepatch: 'lpt_callbacks': unpatching complete</li>");
    }

    @Test
    void aBlockerIsMarkedAtEveryRetryAndNamedOnceWhileItStaysTheSame() {
        String stalled = "{\"patch\":\"p\",\"ending\":\"stalled\",\"retries\":3,\"signalRounds\":0,"
                + "\"durationMs\":null,\"samples\":[[0.0,1],[3000.0,1]],\"events\":["
                + "{\"atMs\":0.0,\"kind\":\"started\",\"detail\":\"livepatch: 'p': starting patching transition\"},"
                + "{\"atMs\":1000.0,\"kind\":\"retry\",\"detail\":\"kworker/0:2:47 is sleeping on function f\"},"
                + "{\"atMs\":2000.0,\"kind\":\"retry\",\"detail\":\"kworker/0:2:47 is sleeping on function f\"},"
                + "{\"atMs\":3000.0,\"kind\":\"retry\",\"detail\":\"kworker/0:2:47 is sleeping on function f\\n"
                + "bash:90 is running on function f\"}]}";

        String html = HtmlReport.stallPage("stall", "p stalled", List.of(stalled), Map.of());

        assertThat(count(html, "<circle ")).isEqualTo(3);
        assertThat(count(html, ">kworker/0:2:47 in f</text>")).isEqualTo(1);
        assertThat(html)
                .contains("text-anchor=\"end\">kworker/0:2:47 in f +1 more</text>")
                .contains("<li><span class=\"swatch ev-retry\"></span>retry</li>")
                .doesNotContain("swatch ev-completed");
    }

    private static int count(String text, String fragment) {
        return text.split(java.util.regex.Pattern.quote(fragment), -1).length - 1;
    }

    @Test
    void aStallsPageHasItsExplanationTimelinesAndArtefacts() {
        String html = HtmlReport.stallPage(
                "Stalled transition of lpt_callbacks on 6.1.0-56-amd64",
                "lpt_callbacks stalled: <kworker>",
                List.of(TIMELINE),
                Map.of("kernel log", "[ 1.0] % insmod lpt_callbacks.ko"));

        assertThat(html)
                .contains("<h1>Stalled transition of lpt_callbacks on 6.1.0-56-amd64</h1>")
                .contains("<pre class=\"explanation\">lpt_callbacks stalled: &lt;kworker&gt;</pre>")
                .contains("<svg class=\"timeline\"")
                .contains("<summary>kernel log</summary><pre>[ 1.0] % insmod lpt_callbacks.ko</pre>");
    }

    @Test
    void theIndexOfSeveralKernelsLinksEachKernelsPage() {
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        cells.put("debian", Map.of("atomic-replace", "12 passed, 2 skipped"));
        cells.put("debian:sid", Map.of("atomic-replace", "13 passed, 1 failed"));
        Map<String, Path> pages = new LinkedHashMap<>();
        pages.put("debian", Path.of("debian/report.html"));
        pages.put("debian:sid", Path.of("debian_sid/report.html"));

        assertThat(HtmlReport.index(pages, cells, List.of("atomic-replace")))
                .contains("<tr><td><a href=\"debian/report.html\">debian</a></td><td class=\"passed\">12 passed,"
                        + " 2 skipped</td></tr>")
                .contains("<tr><td><a href=\"debian_sid/report.html\">debian:sid</a></td><td class=\"failed\">13"
                        + " passed, 1 failed</td></tr>");
    }
}
