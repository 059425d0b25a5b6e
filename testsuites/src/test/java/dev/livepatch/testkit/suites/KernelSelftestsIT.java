package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.upstream.KernelSelftestScript;
import dev.livepatch.testkit.upstream.KernelSelftests;
import dev.livepatch.testkit.vm.Guest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * The kernel's own livepatch selftests of the guest's kernel, as that kernel's source ships them: its scripts and
 * test modules (built with its toolchain) run unchanged, one dynamic test per case, each reported as the script
 * prints it. A case past its deadline ({@code livepatch.selftests.case-timeout}) ends its script; a script that
 * failed or was ended leaves the guest reset for the next one. A guest without a boot snapshot (ppc64le) cannot be
 * reset: the next scripts run on it as the script left it, as {@code run_kselftest.sh} would, and their failures say
 * so.
 */
@Tag("kernel-selftests")
@LivepatchTest(image = "selftest")
class KernelSelftestsIT {
    @TestFactory
    @DisplayName("the kernel's scripts")
    Stream<DynamicNode> kernelSelftests(Guest guest, Kernel kernel) {
        KernelSelftests selftests = KernelSelftests.prepare(kernel, Cache.standard(), Progress.console());
        selftests.install(guest.shell());
        LeftChanged leftChanged = new LeftChanged();
        return selftests.scripts().stream()
                .map(script -> DynamicContainer.dynamicContainer(
                        script.name(), new ScriptCases(script, guest, selftests, leftChanged).tests()));
    }

    /** The script, if any, that left the guest changed for the scripts after it. */
    private static final class LeftChanged {
        private String script;

        String note() {
            return script == null
                    ? ""
                    : " (this ran on the guest as " + script
                            + " left it: the guest has no boot snapshot to go back to)";
        }
    }

    /** One script's cases as dynamic tests: JUnit runs each as it takes it from the stream, so they follow the script. */
    private static final class ScriptCases {
        private final KernelSelftestScript script;
        private final Guest guest;
        private final KernelSelftests selftests;
        private final LeftChanged leftChanged;
        private KernelSelftestScript.Run run;

        ScriptCases(KernelSelftestScript script, Guest guest, KernelSelftests selftests, LeftChanged leftChanged) {
            this.script = script;
            this.guest = guest;
            this.selftests = selftests;
            this.leftChanged = leftChanged;
        }

        Stream<DynamicNode> tests() {
            Stream<DynamicNode> planned =
                    script.cases().stream().map(name -> DynamicTest.dynamicTest(name, () -> report(run().await(name))));
            Stream<DynamicNode> unplanned = Stream.of(script).flatMap(done -> finish());
            return Stream.concat(planned, unplanned);
        }

        private KernelSelftestScript.Run run() {
            if (run == null) {
                run = script.start(guest.shell(), Settings.SELFTESTS_CASE_TIMEOUT.get());
            }
            return run;
        }

        /** Any case the script printed that its start_test lines did not name, once the script has ended. */
        private Stream<DynamicNode> finish() {
            KernelSelftestScript.Result result;
            try (KernelSelftestScript.Run ending = run()) {
                result = ending.finish();
            }
            if (result.leftGuestDirty()) {
                if (guest.canReset()) {
                    guest.reset();
                    selftests.install(guest.shell());
                } else {
                    leftChanged.script = script.name();
                }
            }
            return result.cases().stream()
                    .filter(test -> !script.cases().contains(test.name()))
                    .map(test -> DynamicTest.dynamicTest(test.name(), () -> report(test)));
        }

        private void report(KernelSelftestScript.CaseResult test) {
            switch (test.outcome()) {
                case PASSED -> {}
                case SKIPPED -> Assumptions.abort(test.detail());
                case FAILED ->
                    throw new AssertionFailedError(script.name() + ": " + test.detail() + leftChanged.note());
            }
        }
    }
}
