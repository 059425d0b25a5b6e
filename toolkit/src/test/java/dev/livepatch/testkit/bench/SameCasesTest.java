package dev.livepatch.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SameCasesTest {
    @Test
    void casesPairWithinTheirScriptAndOnlyPassedCasesOnBothSidesCount() {
        List<SuiteRun.Case> toolkit = List.of(
                passed("SelftestLivepatchIT", "multiple livepatches", 2),
                passed("SelftestLivepatchIT", "module function patching", 3),
                passed("SelftestCallbacksIT", "multiple livepatches", 5),
                passed("SelftestShadowVarsIT", "basic shadow variable API", 1),
                passed("SelftestSysfsIT", "sysfsTestReplace › sysfs test replace enabled", 4));
        List<SuiteRun.Case> kernelScripts = List.of(
                passed("KernelSelftestsIT", "the kernel's scripts › test-livepatch.sh › multiple livepatches", 3),
                passed("KernelSelftestsIT", "the kernel's scripts › test-callbacks.sh › multiple livepatches", 7),
                passed(
                        "KernelSelftestsIT",
                        "the kernel's scripts › test-shadow-vars.sh › basic shadow variable API",
                        2),
                passed("KernelSelftestsIT", "the kernel's scripts › test-sysfs.sh › sysfs test replace enabled", 6),
                failed("KernelSelftestsIT", "the kernel's scripts › test-state.sh › system state modification", 9));

        SameCases same = SameCases.of(toolkit, kernelScripts);

        assertThat(same.count()).isEqualTo(4);
        assertThat(same.toolkit()).isEqualTo(Duration.ofSeconds(2 + 5 + 1 + 4));
        assertThat(same.kernelScripts()).isEqualTo(Duration.ofSeconds(3 + 7 + 2 + 6));
    }

    @Test
    void theToolkitRunsTheCasesTheScriptsPassedWithinTheSameScript() {
        SameCases.Selection selection = SameCases.toolkitTestsOf(List.of(
                passed("KernelSelftestsIT", "the kernel's scripts › test-callbacks.sh › multiple livepatches", 7),
                failed("KernelSelftestsIT", "the kernel's scripts › test-state.sh › system state modification", 9)));

        assertThat(selection.includes("SelftestCallbacksIT", "multiple livepatches"))
                .isTrue();
        assertThat(selection.includes("SelftestLivepatchIT", "multiple livepatches"))
                .as("the same name in another script")
                .isFalse();
        assertThat(selection.includes("SelftestStateIT", "system state modification"))
                .as("a case the scripts failed")
                .isFalse();
    }

    private static SuiteRun.Case passed(String testClass, String name, int seconds) {
        return new SuiteRun.Case(testClass, name, true, Duration.ofSeconds(seconds));
    }

    private static SuiteRun.Case failed(String testClass, String name, int seconds) {
        return new SuiteRun.Case(testClass, name, false, Duration.ofSeconds(seconds));
    }
}
