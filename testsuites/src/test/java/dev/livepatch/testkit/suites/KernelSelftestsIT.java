package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.upstream.KernelSelftestScript;
import dev.livepatch.testkit.upstream.KernelSelftests;
import dev.livepatch.testkit.vm.Guest;
import java.time.Duration;
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
 * test modules (built with its toolchain) run unchanged, one dynamic test per case. A script that fails or is ended
 * at its deadline leaves the guest reset for the next one.
 */
@Tag("kernel-selftests")
@LivepatchTest(image = "selftest")
class KernelSelftestsIT {
    /** Each case waits at most a minute per step; the longest script has a dozen cases. */
    private static final Duration SCRIPT_DEADLINE = Duration.ofMinutes(10);

    @TestFactory
    @DisplayName("the kernel's own livepatch selftests")
    Stream<DynamicNode> kernelSelftests(Guest guest, Kernel kernel) {
        KernelSelftests selftests = KernelSelftests.prepare(kernel, Cache.standard(), Progress.console());
        selftests.install(guest.shell());
        return selftests.scripts().stream()
                .map(script -> DynamicContainer.dynamicContainer(
                        script.name(),
                        // Lazily: the script runs when JUnit reaches its container, and its cases are read back from
                        // it.
                        Stream.of(script).flatMap(toRun -> cases(run(toRun, guest, selftests)))));
    }

    private static KernelSelftestScript.Result run(KernelSelftestScript script, Guest guest, KernelSelftests tests) {
        KernelSelftestScript.Result result = script.run(guest.shell(), SCRIPT_DEADLINE);
        if (result.leftGuestDirty()) {
            guest.reset();
            tests.install(guest.shell());
        }
        return result;
    }

    private static Stream<DynamicNode> cases(KernelSelftestScript.Result result) {
        return result.cases().stream()
                .map(test -> DynamicTest.dynamicTest(test.name(), () -> {
                    switch (test.outcome()) {
                        case PASSED -> {}
                        case SKIPPED -> Assumptions.abort(test.detail());
                        case FAILED -> throw new AssertionFailedError(result.script() + ": " + test.detail());
                    }
                }));
    }
}
