package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.report.TestOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.AbstractTestDescriptor;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

class SameCasesTest {
    @Test
    void casesPairWithinTheirScriptAndOnlyPassedCasesOnBothSidesCount() {
        List<SuiteOutcome> toolkit = List.of(
                new SuiteOutcome(
                        "SelftestLivepatchIT",
                        "x.SelftestLivepatchIT",
                        List.of(passed("multiple livepatches", 2), passed("module function patching", 3))),
                new SuiteOutcome(
                        "SelftestCallbacksIT", "x.SelftestCallbacksIT", List.of(passed("multiple livepatches", 5))),
                new SuiteOutcome(
                        "SelftestShadowVarsIT",
                        "x.SelftestShadowVarsIT",
                        List.of(passed("basic shadow variable API", 1))),
                new SuiteOutcome(
                        "SelftestSysfsIT",
                        "x.SelftestSysfsIT",
                        List.of(passed("sysfsTestReplace › sysfs test replace enabled", 4))));
        List<SuiteOutcome> kernelScripts = List.of(new SuiteOutcome(
                "KernelSelftestsIT",
                "x.KernelSelftestsIT",
                List.of(
                        passed("the kernel's scripts › test-livepatch.sh › multiple livepatches", 3),
                        passed("the kernel's scripts › test-callbacks.sh › multiple livepatches", 7),
                        passed("the kernel's scripts › test-shadow-vars.sh › basic shadow variable API", 2),
                        passed("the kernel's scripts › test-sysfs.sh › sysfs test replace enabled", 6),
                        new TestOutcome(
                                "the kernel's scripts › test-state.sh › system state modification",
                                TestOutcome.Status.FAILED,
                                Duration.ofSeconds(9),
                                Optional.of("diff")))));

        SameCases same = SameCases.of(toolkit, kernelScripts);

        assertThat(same.count()).isEqualTo(4);
        assertThat(same.toolkit()).isEqualTo(Duration.ofSeconds(2 + 5 + 1 + 4));
        assertThat(same.kernelScripts()).isEqualTo(Duration.ofSeconds(3 + 7 + 2 + 6));
        assertThat(same.ratio()).isEqualTo(1.5);
    }

    @Test
    void theToolkitRunsTheCasesTheScriptsPassedAndWhatIsNamedOnlyWhenItRuns() {
        PostDiscoveryFilter filter = SameCases.toolkitTestsOf(List.of(new SuiteOutcome(
                "KernelSelftestsIT",
                "x.KernelSelftestsIT",
                List.of(
                        passed("the kernel's scripts › test-callbacks.sh › multiple livepatches", 7),
                        new TestOutcome(
                                "the kernel's scripts › test-state.sh › system state modification",
                                TestOutcome.Status.FAILED,
                                Duration.ofSeconds(9),
                                Optional.of("diff"))))));

        assertThat(filter.apply(test("x.SelftestCallbacksIT", "multiple livepatches"))
                        .included())
                .isTrue();
        assertThat(filter.apply(test("x.SelftestLivepatchIT", "multiple livepatches"))
                        .excluded())
                .as("the same name in another script")
                .isTrue();
        assertThat(filter.apply(test("x.SelftestStateIT", "system state modification"))
                        .excluded())
                .as("a case the scripts failed")
                .isTrue();
        TestDescriptor template = new Descriptor("sysfsTestReplace(String)", TestDescriptor.Type.CONTAINER);
        assertThat(filter.apply(template).included()).isTrue();
    }

    private static TestDescriptor test(String className, String displayName) {
        return new Descriptor(displayName, TestDescriptor.Type.TEST, MethodSource.from(className, "test"));
    }

    private static final class Descriptor extends AbstractTestDescriptor {
        private final Type type;

        Descriptor(String displayName, Type type) {
            super(UniqueId.root("test", displayName), displayName);
            this.type = type;
        }

        Descriptor(String displayName, Type type, MethodSource source) {
            super(UniqueId.root("test", displayName), displayName, source);
            this.type = type;
        }

        @Override
        public Type getType() {
            return type;
        }
    }

    private static TestOutcome passed(String name, int seconds) {
        return new TestOutcome(name, TestOutcome.Status.PASSED, Duration.ofSeconds(seconds), Optional.empty());
    }
}
