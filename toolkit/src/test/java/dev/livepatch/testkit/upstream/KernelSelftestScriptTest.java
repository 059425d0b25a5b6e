package dev.livepatch.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.upstream.KernelSelftestScript.CaseResult;
import dev.livepatch.testkit.upstream.KernelSelftestScript.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

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
            """);

    @Test
    void theCasesComeFromTheScriptsStartTestLines() {
        assertThat(SYSFS.cases()).containsExactly("sysfs test", "sysfs test replace enabled");
    }

    @Test
    void printedCasesPassAndAConditionalCaseNotRunIsSkippedWithTheReason() {
        List<CaseResult> results = SYSFS.read("TEST: sysfs test ... ok\n", 0, DEADLINE, "");

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

        List<CaseResult> results = SYSFS.read(output, 1, DEADLINE, "");

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
                SYSFS.read("TEST: sysfs test ... ERROR: failed to complete transition\n", 1, DEADLINE, "");

        assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(results.get(0).detail()).isEqualTo("ERROR: failed to complete transition");
    }

    @Test
    void aScriptThatSkipsSkipsEachCaseWithItsReason() {
        List<CaseResult> results = SYSFS.read("SKIP: test-kprobe requires CONFIG_KPROBES_ON_FTRACE\n", 4, DEADLINE, "");

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

        List<CaseResult> results = SYSFS.read("TEST: sysfs test ... ", 124, DEADLINE, kernelLog);

        assertThat(results.get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(results.get(0).detail())
                .startsWith("Did not finish within 10 min and was ended\nThe kernel log since the case began:\n")
                .contains("===== TEST: sysfs test =====")
                .endsWith("starting patching transition")
                .doesNotContain("earlier case");
        assertThat(results.get(1).detail()).isEqualTo("Not run: the script stopped at 'sysfs test' (exit status 124).");
    }
}
