package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner against the sample suites in {@code cli.samples}: reports, tags and shards. */
class SuiteRunnerTest {
    private static final String SAMPLES = "dev.livepatch.testkit.cli.samples";

    @TempDir
    Path reports;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private SuiteRunner runner() {
        return new SuiteRunner(new PrintStream(console, true, StandardCharsets.UTF_8), reports, SAMPLES);
    }

    @Test
    void aRunWritesKtapJsonAndJunitXmlWithEveryOutcome() throws IOException {
        SuiteRunner.Result result = runner().run(List.of(), Shard.ALL);

        assertThat(result.summary().getTestsFoundCount()).isEqualTo(7);
        assertThat(result.summary().getTestsFailedCount()).isEqualTo(1);
        assertThat(result.summary().getContainersFailedCount()).isEqualTo(1);
        assertThat(result.classes())
                .containsExactly(
                        SAMPLES + ".BrokenSetupSample", SAMPLES + ".FailingSample", SAMPLES + ".PassingSample");
        assertThat(Files.readString(reports.resolve("results.ktap"))).isEqualTo("""
                        KTAP version 1
                        1..3
                            KTAP version 1
                            # Subtest: BrokenSetupSample
                            1..2
                            # IllegalStateException: guest did not boot
                            not ok 1 one
                            # IllegalStateException: guest did not boot
                            not ok 2 two
                        not ok 1 BrokenSetupSample
                            KTAP version 1
                            # Subtest: FailingSample
                            1..2
                            # AssertionFailedError: expected "a#b"
                            # but was c
                            not ok 1 aFails
                            ok 2 bPasses
                        not ok 2 FailingSample
                            KTAP version 1
                            # Subtest: PassingSample
                            1..3
                            ok 1 aPasses
                            ok 2 bIsDisabled # SKIP not today
                            ok 3 cIsAborted # SKIP TestAbortedException: Assumption failed: no guest here
                        ok 3 PassingSample
                        """);
        String json = Files.readString(reports.resolve("results.json"));
        assertThat(json)
                .startsWith("{\n  \"tests\": 7,\n  \"passed\": 2,\n  \"failed\": 3,\n  \"aborted\": 1,\n"
                        + "  \"skipped\": 1,\n  \"suites\": [")
                .contains("{\"name\": \"FailingSample\", \"class\": \"" + SAMPLES + ".FailingSample\", \"tags\":"
                        + " [\"sample-b\"], \"tests\": [")
                .containsPattern("\\{\"name\": \"aFails\\(\\)\", \"status\": \"failed\", \"durationMs\": \\d+,"
                        + " \"message\": \"AssertionFailedError: expected \\\\\"a#b\\\\\"\\\\nbut was c\"}")
                .contains("{\"name\": \"bIsDisabled()\", \"status\": \"skipped\", \"durationMs\": 0, \"message\":"
                        + " \"not today\"}");
        try (Stream<Path> files = Files.list(reports)) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .contains("TEST-junit-jupiter.xml")
                    .noneMatch(name -> name.contains("partial"));
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain("Shard");
    }

    @Test
    void theSuiteTagsAreTheTestClassesTagsWithoutThoseThatSayWhatATestNeeds() {
        assertThat(runner().suiteTags()).containsExactly("sample-a", "sample-b");
    }

    @Test
    void theTransitionsATestAwaitedGoIntoTheJsonReport() throws IOException {
        new SuiteRunner(
                        new PrintStream(console, true, StandardCharsets.UTF_8),
                        reports,
                        "dev.livepatch.testkit.cli.transitionsamples")
                .run(List.of(), Shard.ALL);

        assertThat(Files.readString(reports.resolve("results.json")))
                .contains("\"message\": null, \"transitions\": [\n"
                        + "        {\"patch\": \"lpt_a\", \"ending\": \"completed\"}\n      ],"
                        + " \"artefacts\": {\"guest 1 serial-console\": \"not a transition\"}}");
    }

    @Test
    void dynamicTestsAreNamedWithTheirContainersSoThatEqualNamesStayApart() throws IOException {
        new SuiteRunner(
                        new PrintStream(console, true, StandardCharsets.UTF_8),
                        reports,
                        "dev.livepatch.testkit.cli.dynamicsamples")
                .run(List.of(), Shard.ALL);

        assertThat(Files.readString(reports.resolve("results.json")))
                .containsPattern("\\{\"name\": \"scripts › a.sh › same case\", \"status\": \"passed\"")
                .containsPattern("\\{\"name\": \"scripts › b.sh › same case\", \"status\": \"failed\"");
        assertThat(Files.readString(reports.resolve("results.ktap")))
                .contains("    ok 1 scripts › a.sh › same case\n")
                .contains("    not ok 2 scripts › b.sh › same case\n");
    }

    @Test
    void aKernelSourceTreeRunsOneClassAtATimeUnlessTold() {
        assertThat(runner().onKernel(KernelSpec.parse("source:/src/linux"), reports)
                        .parallel())
                .isEqualTo(1);
        assertThat(runner().onKernel(KernelSpec.parse("source:/src/linux"), reports)
                        .withSetting(Settings.PARALLEL, "3")
                        .parallel())
                .isEqualTo(3);
        assertThat(runner().onKernel(KernelSpec.parse("debian:sid"), reports).parallel())
                .isEqualTo(Guests.defaultParallelism(Machine.defaults()));
    }

    @Test
    void withParallelSetTestClassesRunAtTheSameTimeTheirTestsInTurnAndReportAsOneRun() throws IOException {
        SuiteRunner.Result result = new SuiteRunner(
                        new PrintStream(console, true, StandardCharsets.UTF_8),
                        reports,
                        "dev.livepatch.testkit.cli.parallelsamples")
                .withSetting(Settings.PARALLEL, "3")
                .run(List.of(), Shard.ALL);

        assertThat(result.summary().getTestsSucceededCount()).isEqualTo(5);
        assertThat(console.toString(StandardCharsets.UTF_8))
                .as("which guest runs each class")
                .contains("  ▸ FirstParallelSample on debian runs on guest fake-")
                .contains("  ▸ SecondParallelSample on debian runs on guest fake-")
                .contains("  ▸ OneAtATimeSample on debian runs on guest fake-");
        assertThat(Files.readString(reports.resolve("results.json")))
                .startsWith("{\n  \"tests\": 5,\n  \"passed\": 5,")
                .contains("\"name\": \"OneAtATimeSample\"")
                .contains("\"name\": \"FirstParallelSample\"")
                .contains("\"name\": \"SecondParallelSample\"");
    }

    @Test
    void aRunOnAKernelCountsEachSuiteAndNamesTheKernelInItsReports() throws IOException {
        SuiteRunner.Result result =
                runner().onKernel(KernelSpec.parse("debian:sid"), reports).run(List.of(), Shard.ALL);

        assertThat(result.bySuite())
                .containsEntry("sample-a", new TagTally.Counts(1, 0, 2))
                .containsEntry("sample-b", new TagTally.Counts(1, 3, 0))
                .doesNotContainKey("qemu");
        assertThat(Files.readString(reports.resolve("results.ktap")))
                .startsWith("KTAP version 1\n1..3\n# kernel: debian:sid\n");
        assertThat(Files.readString(reports.resolve("results.json"))).startsWith("{\n  \"kernel\": \"debian:sid\",\n");
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("  - PassingSample › cIsAborted() skipped: no guest here")
                .doesNotContain("✗ PassingSample › cIsAborted()");
    }

    @Test
    void testsOfClassTemplateRunsCountUnderTheirClassesSuiteTag() {
        System.setProperty(Settings.KERNELS.name(), "debian:bookworm,debian:sid");
        try {
            SuiteRunner.Result result = new SuiteRunner(
                            new PrintStream(console, true, StandardCharsets.UTF_8),
                            reports,
                            "dev.livepatch.testkit.cli.templatesamples")
                    .run(List.of("sample-kernels"), Shard.ALL);

            assertThat(result.bySuite()).containsExactly(Map.entry("sample-kernels", new TagTally.Counts(2, 0, 0)));
            assertThat(console.toString(StandardCharsets.UTF_8))
                    .contains("Running 1 test class(es)")
                    .contains("✓ TwoKernelsSample on debian:bookworm › passes()")
                    .contains("✓ TwoKernelsSample on debian:sid › passes()");
        } finally {
            System.clearProperty(Settings.KERNELS.name());
        }
    }

    @Test
    void theKernelTableHasARowPerKernelAndAColumnPerSuite() {
        KernelMatrix matrix = new KernelMatrix();
        matrix.add("debian", Map.of("atomic-replace", new TagTally.Counts(13, 0, 2)));
        matrix.add(
                "debian:sid",
                Map.of("atomic-replace", new TagTally.Counts(14, 1, 0), "patches", new TagTally.Counts(5, 0, 0)));

        assertThat(matrix.render()).isEqualTo("""
                        kernel     | atomic-replace       | patches
                        debian     | 13 passed, 2 skipped | no tests
                        debian:sid | 14 passed, 1 failed  | 5 passed
                        """);
        assertThat(matrix.anyFailed()).isTrue();
    }

    @Test
    void tagsChooseTheSuites() {
        SuiteRunner.Result result = runner().run(List.of("sample-a"), Shard.ALL);

        assertThat(result.classes()).containsExactly(SAMPLES + ".PassingSample");
        assertThat(result.summary().getTestsFoundCount()).isEqualTo(3);
    }

    @Test
    void eachShardRunsItsClassesAndWritesItsOwnReports() throws IOException {
        SuiteRunner.Result first = runner().run(List.of(), new Shard(1, 2));
        SuiteRunner.Result second = runner().run(List.of(), new Shard(2, 2));

        assertThat(first.classes()).containsExactly(SAMPLES + ".BrokenSetupSample", SAMPLES + ".PassingSample");
        assertThat(second.classes()).containsExactly(SAMPLES + ".FailingSample");
        assertThat(first.allClasses()).hasSize(3);
        assertThat(first.summary().getTestsFoundCount() + second.summary().getTestsFoundCount())
                .isEqualTo(7);
        assertThat(Files.readString(reports.resolve("results-2of2.ktap")))
                .startsWith("KTAP version 1\n1..1\n    KTAP version 1\n    # Subtest: FailingSample\n");
        assertThat(reports.resolve("results-1of2.json")).exists();
        assertThat(console.toString(StandardCharsets.UTF_8))
                .contains("Shard 1/2: 2 of 3 test classes", "Shard 2/2: 1 of 3 test classes");
    }

    @Test
    void aShardBeyondTheClassesRunsNothing() {
        SuiteRunner.Result result = runner().run(List.of(), new Shard(4, 4));

        assertThat(result.classes()).isEmpty();
        assertThat(result.summary().getTestsFoundCount()).isZero();
        assertThat(reports.resolve("results-4of4.ktap")).hasContent("KTAP version 1\n1..0");
    }
}
