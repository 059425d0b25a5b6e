package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.report.JsonResults;
import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.report.TestOutcome;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards' report folders merged give what one unsharded run gives: the sample suites of {@code cli.samples}. */
class ReportMergeTest {
    private static final String SAMPLES = "dev.livepatch.testkit.cli.samples";

    @TempDir
    Path folder;

    private SuiteRunner runner(Path reports) {
        return new SuiteRunner(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), reports, SAMPLES);
    }

    @Test
    void twoShardsMergedGiveTheTotalsClassesTagsAndXmlOfOneUnshardedRun() throws IOException {
        runner(folder.resolve("whole")).run(List.of(), Shard.ALL);
        runner(folder.resolve("shard1")).run(List.of(), Shard.parse("1/2"));
        runner(folder.resolve("shard2")).run(List.of(), Shard.parse("2/2"));

        CliRun merge = CliRun.of(
                "report",
                "merge",
                "--reports",
                folder.resolve("merged").toString(),
                folder.resolve("shard1").toString(),
                folder.resolve("shard2").toString());

        JsonResults whole = JsonResults.read(folder.resolve("whole/results.json"));
        JsonResults merged = JsonResults.read(folder.resolve("merged/results.json"));
        assertThat(merge.exitCode()).as(merge.output() + "|" + merge.errors()).isEqualTo(1); // a failing sample
        assertThat(merge.output())
                .as("out:" + merge.output() + "|err:" + merge.errors())
                .isNotEmpty();
        assertThat(merge.output())
                .startsWith("(no kernel named): 7 tests: 2 passed, 3 failed, 2 skipped, from 3 classes");
        assertThat(summary(merged)).isEqualTo(summary(whole));
        assertThat(merged.suites()).extracting(SuiteOutcome::tags).contains(List.of("sample-a"), List.of("sample-b"));
        assertThat(xmlFiles(folder.resolve("merged"))).isEqualTo(xmlFiles(folder.resolve("whole")));
        String xml = Files.readString(folder.resolve("merged/TEST-junit-jupiter.xml"));
        String wholeXml = Files.readString(folder.resolve("whole/TEST-junit-jupiter.xml"));
        assertThat(xml.split("<testcase ", -1)).hasSameSizeAs(wholeXml.split("<testcase ", -1));
        assertThat(suiteCounts(xml)).isEqualTo(suiteCounts(wholeXml));
        assertThat(folder.resolve("merged/results.ktap")).content().startsWith("KTAP version 1\n1..3\n");
        assertThat(folder.resolve("merged/report.html")).content().contains("7 tests");
    }

    @Test
    void runsOnSeveralKernelsMergeIntoAFolderEachAndTheKernelBySuiteTable() throws IOException {
        runner(folder.resolve("a"))
                .onKernel(KernelSpec.parse("debian:sid"), folder.resolve("a"))
                .run(List.of(), Shard.ALL);
        runner(folder.resolve("b"))
                .onKernel(KernelSpec.parse("debian:trixie"), folder.resolve("b"))
                .run(List.of(), Shard.ALL);

        CliRun merge = CliRun.of(
                "report",
                "merge",
                "--reports",
                folder.resolve("merged").toString(),
                folder.resolve("a").toString(),
                folder.resolve("b").toString());

        assertThat(merge.output())
                .contains("debian:sid: 7 tests")
                .contains("debian:trixie: 7 tests")
                .containsPattern("kernel +\\| sample-a +\\| sample-b");
        assertThat(folder.resolve("merged/debian_sid/results.json")).exists();
        assertThat(folder.resolve("merged/debian_trixie/report.html")).exists();
        assertThat(folder.resolve("merged/report.html"))
                .content()
                .contains("<a href=\"debian_sid/report.html\">debian:sid</a>");
    }

    @Test
    void aFolderWithoutResultsIsRefusedSayingWhatToGive() throws IOException {
        Path empty = Files.createDirectory(folder.resolve("empty"));

        CliRun merge =
                CliRun.of("report", "merge", "--reports", folder.resolve("out").toString(), empty.toString());

        assertThat(merge.exitCode()).isEqualTo(1);
        assertThat(merge.errors())
                .contains(empty + " holds no results*.json (nor do its subfolders): give the folders that ./testkit"
                        + " test --reports wrote.");
    }

    private static String summary(JsonResults results) {
        StringBuilder text = new StringBuilder();
        for (SuiteOutcome suite : results.suites()) {
            text.append(suite.className()).append(' ').append(suite.tags()).append('\n');
            for (TestOutcome test : suite.tests()) {
                text.append("  ")
                        .append(test.name())
                        .append(' ')
                        .append(test.status())
                        .append('\n');
            }
        }
        return text.toString();
    }

    /** The suite element's attributes in order of name, without its time, timestamp and host. */
    private static List<String> suiteCounts(String xml) {
        String attributes = xml.replaceFirst("(?s)^.*?<testsuite ", "").replaceFirst("(?s)>.*$", "");
        return Stream.of(attributes.split("\" "))
                .map(String::strip)
                .filter(attribute -> !attribute.matches("(time|timestamp|hostname)=.*"))
                .map(attribute -> attribute.replace("\"", ""))
                .sorted()
                .toList();
    }

    private static List<String> xmlFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("TEST-"))
                    .sorted()
                    .toList();
        }
    }
}
