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
 * The HTML report of a real run ({@code ./testkit test patches} on the default kernel), opened in a headless
 * Chromium: the page renders its overview, every test and the transitions' SVG timelines, the console stays free of
 * errors, and a screenshot is saved beside the report.
 */
@Tag("qemu")
class HtmlReportIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final Duration BROWSER = Duration.ofMinutes(2);

    @TempDir
    Path folder;

    @Test
    void theReportOfARealRunRendersInChromiumWithoutConsoleErrors() throws IOException {
        Path reports = folder.resolve("reports");
        ExecResult run = ProcessRunner.create()
                .inDirectory(REPOSITORY)
                .exec(
                        List.of(
                                REPOSITORY.resolve("testkit").toString(),
                                "test",
                                "--reports",
                                reports.toString(),
                                "patches"),
                        TIMEOUT);
        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        Path report = reports.resolve("report.html");
        assertThat(report).isRegularFile();
        int tests = count(Files.readString(reports.resolve("results.json")), "\"status\": ");

        ExecResult dom = chromium("--dump-dom", report.toUri().toString());
        assertThat(dom.exitCode()).as(dom.stderr()).isZero();
        String rendered = dom.stdout();
        assertThat(rendered).contains("<table id=\"overview\">").contains("<h2>PatchesIT</h2>");
        assertThat(count(rendered, "<details class=\"test ")).isEqualTo(tests);
        assertThat(count(rendered, "<svg class=\"timeline\"")).isPositive();
        assertThat(rendered).contains("<polyline class=\"pending\"").contains("class=\"event ev-completed\"");
        // Chromium logs every console message as "INFO:CONSOLE:<line>] ..."; the page has no script, so none is
        // expected.
        assertThat(dom.stderr()).doesNotContain(":CONSOLE");

        Path screenshot = reports.resolve("report.png");
        ExecResult shot = chromium(
                "--window-size=1280,2400",
                "--screenshot=" + screenshot,
                report.toUri().toString());
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
