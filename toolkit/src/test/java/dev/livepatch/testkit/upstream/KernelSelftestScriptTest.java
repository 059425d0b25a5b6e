package dev.livepatch.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.livepatch.LocalShell;
import dev.livepatch.testkit.upstream.KernelSelftestScript.CaseResult;
import dev.livepatch.testkit.upstream.KernelSelftestScript.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a kernel selftest script's output back case by case, in the format of tools/testing/selftests/livepatch. */
class KernelSelftestScriptTest {
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    private static final KernelSelftestScript SYSFS = KernelSelftestScript.parse("test-sysfs.sh", """
            . $(dirname $0)/functions.sh
            setup_config
            start_test "sysfs test"
            check_result "..."
            if [[ "$HAS_REPLACE_ATTR" == "1" ]]; then
            	start_test "sysfs test replace enabled"
            	check_result "..."
            fi
            """, "/unused");

    @Test
    void theCasesComeFromTheScriptsStartTestLines() {
        assertThat(SYSFS.cases()).containsExactly("sysfs test", "sysfs test replace enabled");
    }

    @Test
    void printedCasesPassAndAConditionalCaseNotRunIsSkippedWithTheReason() {
        List<CaseResult> results = SYSFS.read("TEST: sysfs test ... ok\n", 0, false, DEADLINE, "");

        assertThat(results).extracting(CaseResult::outcome).containsExactly(Outcome.PASSED, Outcome.SKIPPED);
        assertThat(results.get(1).detail()).contains("a feature it probes first is missing on this kernel");
    }

    @Test
    void aFailedCaseCarriesTheKernelLogDiffAndTheCasesAfterItWereNotRun() {
        String output = """
                TEST: sysfs test ... not ok

                --- expected
                +++ result
                @@ -1,2 +1,2 @@
                 % insmod test_modules/test_klp_livepatch.ko
                -livepatch: enabling patch 'test_klp_livepatch'
                +livepatch: failed to enable patch 'test_klp_livepatch'

                ERROR: livepatch kselftest(s) failed
                """;

        List<CaseResult> results = SYSFS.read(output, 1, false, DEADLINE, "");

        assertThat(results).extracting(CaseResult::outcome).containsExactly(Outcome.FAILED, Outcome.FAILED);
        assertThat(results.get(0).detail())
                .startsWith("--- expected\n+++ result")
                .contains("+livepatch: failed to enable patch 'test_klp_livepatch'")
                .endsWith("ERROR: livepatch kselftest(s) failed");
        assertThat(results.get(1).detail()).isEqualTo("Not run: the script stopped at 'sysfs test' (exit status 1).");
    }

    @Test
    void aStepThatDiesIsTheCasesFailureWithTheScriptsMessage() {
        List<CaseResult> results =
                SYSFS.read("TEST: sysfs test ... ERROR: failed to complete transition\n", 1, false, DEADLINE, "");

        assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(results.get(0).detail()).isEqualTo("ERROR: failed to complete transition");
    }

    @Test
    void aScriptThatSkipsSkipsEachCaseWithItsReason() {
        List<CaseResult> results =
                SYSFS.read("SKIP: test-kprobe requires CONFIG_KPROBES_ON_FTRACE\n", 4, false, DEADLINE, "");

        assertThat(results).extracting(CaseResult::outcome).containsOnly(Outcome.SKIPPED);
        assertThat(results.get(0).detail())
                .isEqualTo("The kernel's script skipped it: test-kprobe requires CONFIG_KPROBES_ON_FTRACE");
    }

    @Test
    void aCaseEndedAtTheDeadlineFailsWithTheKernelLogSinceItBegan() {
        String kernelLog = """
                [    5.1] livepatch: earlier case
                [    6.0] ===== TEST: sysfs test =====
                [    6.1] % insmod test_modules/test_klp_livepatch.ko
                [    6.2] livepatch: 'test_klp_livepatch': starting patching transition
                """;

        List<CaseResult> results = SYSFS.read("TEST: sysfs test ... ", 124, false, DEADLINE, kernelLog);

        assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(results.get(0).detail())
                .startsWith("Did not finish within 10 min and was ended\nThe kernel log since the case began:\n")
                .contains("===== TEST: sysfs test =====")
                .endsWith("starting patching transition")
                .doesNotContain("earlier case");
        assertThat(results.get(1).detail()).isEqualTo("Not run: the script stopped at 'sysfs test' (exit status 124).");
    }

    @Test
    void aRunningScriptsCasesAreReadBackAsItPrintsThem(@TempDir Path folder) throws IOException {
        KernelSelftestScript script = fakeScript(folder, """
                echo -n "TEST: sysfs test ... "
                echo ok
                sleep 1
                echo "TEST: sysfs test replace enabled ... ok"
                """);
        try (LocalShell shell = new LocalShell(Map.of());
                KernelSelftestScript.Run run = script.start(shell, Duration.ofSeconds(30))) {
            assertThat(run.await("sysfs test").outcome()).isEqualTo(Outcome.PASSED);
            assertThat(run.await("sysfs test replace enabled").outcome()).isEqualTo(Outcome.PASSED);

            KernelSelftestScript.Result result = run.finish();

            assertThat(result.exitCode()).isZero();
            assertThat(result.leftGuestDirty()).isFalse();
            assertThat(result.cases()).extracting(CaseResult::outcome).containsOnly(Outcome.PASSED);
        }
    }

    @Test
    void aCasePastItsDeadlineEndsTheScriptAndFailsWithWhatItPrinted(@TempDir Path folder) throws IOException {
        KernelSelftestScript script = fakeScript(folder, """
                echo "TEST: sysfs test ... ok"
                echo -n "TEST: sysfs test replace enabled ... "
                echo "loading test_klp_atomic_replace"
                sleep 300
                """);
        try (LocalShell shell = new LocalShell(Map.of());
                KernelSelftestScript.Run run = script.start(shell, Duration.ofSeconds(2))) {
            assertThat(run.await("sysfs test").outcome()).isEqualTo(Outcome.PASSED);

            CaseResult hung = run.await("sysfs test replace enabled");

            assertThat(hung.outcome()).isEqualTo(Outcome.FAILED);
            assertThat(hung.detail())
                    .startsWith("Did not finish within 2 s and was ended after printing:\n"
                            + "loading test_klp_atomic_replace\nThe kernel log since the case began:");
            KernelSelftestScript.Result result = run.finish();
            assertThat(result.endedAtDeadline()).isTrue();
            assertThat(result.leftGuestDirty()).isTrue();
        }
        assertThat(ProcessHandle.allProcesses()
                        .filter(process ->
                                process.info().commandLine().orElse("").contains(folder.toString())))
                .as("processes of the ended script")
                .isEmpty();
    }

    private static KernelSelftestScript fakeScript(Path folder, String body) throws IOException {
        Path file = folder.resolve("test-sysfs.sh");
        Files.writeString(file, "#!/bin/sh\n" + body);
        file.toFile().setExecutable(true);
        return KernelSelftestScript.parse(
                "test-sysfs.sh",
                "start_test \"sysfs test\"\nstart_test \"sysfs test replace enabled\"\n",
                folder.toString());
    }
}
