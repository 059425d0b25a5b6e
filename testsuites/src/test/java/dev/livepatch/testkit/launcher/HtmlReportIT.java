package dev.livepatch.testkit.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML pages of real runs opened in a headless Chromium, one of each kind: a run on several kernels (its index
 * and one kernel's page) and a stall's reproducer bundle. Each renders what it must, the console stays free of
 * errors (the pages have no script), and a screenshot of each is kept in {@code target/report-screenshots/}.
 */
@Tag("qemu")
class HtmlReportIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Duration BROWSER = Duration.ofMinutes(2);
    private static final Path SCREENSHOTS =
            Path.of("target", "report-screenshots").toAbsolutePath();

    @TempDir
    Path folder;

    /** The same kernel under two names, so that the index has two rows without booting a second kernel. */
    @Test
    void theIndexAndEachKernelsPageOfARunOnSeveralKernelsRender() throws IOException {
        Path reports = folder.resolve("reports");
        ExecResult run =
                testkit("test", "--kernels", "debian,debian:bookworm", "--reports", reports.toString(), "patches");
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();

        String index = rendered(reports.resolve("report.html"));
        assertThat(index)
                .contains("<table id=\"kernels\">")
                .contains("<a href=\"debian/report.html\">debian</a>")
                .contains("<a href=\"debian_bookworm/report.html\">debian:bookworm</a>");
        screenshot(reports.resolve("report.html"), "several-kernels", "1280,600");

        Path kernelPage = reports.resolve("debian/report.html");
        int tests = count(Files.readString(reports.resolve("debian/results.json")), "\"status\": ");
        String page = rendered(kernelPage);
        assertThat(page).contains("<table id=\"overview\">").contains("<h2>PatchesIT</h2>");
        assertThat(count(page, "<details class=\"test ")).isEqualTo(tests);
        assertThat(count(page, "<svg class=\"timeline\"")).isPositive();
        assertThat(page)
                .contains("<polyline class=\"pending\"")
                .contains("class=\"event ev-completed\"")
                .contains(">tasks not yet switched</text>")
                .contains(">time since the transition's first event</text>")
                .contains("<ul class=\"legend\">");
        screenshot(kernelPage, "single-kernel", "1280,2400");
    }

    @Test
    void aStallBundlesPageShowsTheBlockerOnItsTimeline() throws IOException {
        Path bundle = folder.resolve("bundle");
        ExecResult stall = testkit(
                "stall", "--with", "lpt_busy:block_transition=1", "--bundle", bundle.toString(), "lpt_callbacks");
        assertThat(stall.exitCode()).as(stall.stdout() + stall.stderr()).isEqualTo(3);

        String page = rendered(bundle.resolve("report.html"));
        assertThat(page)
                .contains("<pre class=\"explanation\">lpt_callbacks stalled")
                .contains("<svg class=\"timeline\"")
                .contains("<g class=\"blocker\">")
                .contains(" in lpt_busy_work_func</text></g>");
        screenshot(bundle.resolve("report.html"), "stall-bundle", "1280,1400");
    }

    private ExecResult testkit(String... arguments) {
        List<String> command =
                new ArrayList<>(List.of(REPOSITORY.resolve("testkit").toString()));
        command.addAll(List.of(arguments));
        return ProcessRunner.create().inDirectory(REPOSITORY).exec(command, TIMEOUT);
    }

    /** The page as Chromium renders it; Chromium logs each console message as "INFO:CONSOLE:<line>] ...". */
    private String rendered(Path page) {
        assertThat(page).isRegularFile();
        ExecResult dom = chromium("--dump-dom", page.toUri().toString());
        assertThat(dom.exitCode()).as(dom.stderr()).isZero();
        assertThat(dom.stderr()).doesNotContain(":CONSOLE");
        return dom.stdout();
    }

    private void screenshot(Path page, String name, String windowSize) throws IOException {
        Path screenshot = Files.createDirectories(SCREENSHOTS).resolve(name + ".png");
        ExecResult shot = chromium(
                "--window-size=" + windowSize,
                "--screenshot=" + screenshot,
                page.toUri().toString());
        assertThat(shot.exitCode()).as(shot.stderr()).isZero();
        assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    }

    private ExecResult chromium(String... arguments) {
        List<String> command = new ArrayList<>(List.of(
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--enable-logging=stderr",
                "--v=0",
                "--user-data-dir=" + folder.resolve("chromium-profile")));
        command.addAll(List.of(arguments));
        return ProcessRunner.create().inDirectory(folder).exec(command, BROWSER);
    }

    private static int count(String text, String fragment) {
        Matcher matcher = Pattern.compile(Pattern.quote(fragment)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
