package dev.livepatch.testkit.junit;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.livepatch.Blocker;
import dev.livepatch.testkit.livepatch.LivepatchException;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Operation;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.TransitionTimeoutException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A transition held open by a task sleeping in the patched function: diagnosis, EBUSY, reverse and force. */
@LivepatchTest(image = "minimal", cpus = 1)
class StalledTransitionIT {
    private static final Duration TRANSITION = Duration.ofSeconds(30);

    Patch stalled;

    @BeforeEach
    void stallATransition(Livepatches livepatches, PatchModules patches) {
        livepatches.loadModule(patches.build("lpt_busy"), Map.of("block_transition", "Y"));
        livepatches.traceTaskSwitching(true);
        stalled = livepatches.load(patches.build("lpt_callbacks"));
    }

    @Test
    void theTimeoutNamesTheBlockingTaskWithTheKernelsOwnReasonAndItsStack(Livepatches livepatches) {
        assertThatThrownBy(() -> stalled.awaitTransition(Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(TransitionTimeoutException.class, timeout -> {
                    assertThat(timeout.lastSeen()).isEqualTo("transition=1 enabled=1");
                    assertThat(timeout.blockers()).singleElement().satisfies(blocker -> {
                        assertThat(blocker.comm()).startsWith("kworker/");
                        assertThat(blocker.patchState()).isZero();
                        assertThat(blocker.reason()).contains("is sleeping on function lpt_busy_work_func");
                        assertThat(blocker.stack()).anyMatch(frame -> frame.contains("lpt_busy_work_func"));
                    });
                    assertThat(timeout.kernelLog().lines()).first().isEqualTo("% insmod lpt_callbacks.ko");
                })
                .hasMessageStartingWith("Timed out waiting for the patching transition of patch 'lpt_callbacks' to"
                        + " finish after 3 s; last seen: transition=1 enabled=1; 1 task(s) not switched yet:")
                .hasMessageContaining("is sleeping on function lpt_busy_work_func; stack: ");
        assertThat(livepatches.stack()).patch("lpt_callbacks").isInTransition();
    }

    @Test
    void anotherPatchCannotLoadDuringTheTransition(Livepatches livepatches, PatchModules patches) {
        assertThatThrownBy(() -> livepatches.load(patches.build("lpt_cmdline")))
                .isInstanceOfSatisfying(LivepatchException.class, refused -> {
                    assertThat(refused.errno()).contains("Device or resource busy");
                    assertThat(refused.kernelLog().lines()).containsExactly("% insmod lpt_cmdline.ko");
                })
                .hasMessageContaining("Another patch is in transition");
        assertThat(livepatches.stack()).hasOrder("lpt_callbacks");
    }

    @Test
    void reversingTheTransitionUnpatchesAndFreesThePatch(Livepatches livepatches) {
        Operation reversed = stalled.reverse();
        Operation settled = stalled.awaitTransition(TRANSITION);

        assertThat(reversed.command()).isEqualTo("echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled");
        assertThat(settled.kernelLog().livepatchLines())
                .startsWith(
                        "% echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled",
                        "livepatch: 'lpt_callbacks': reversing transition from patching to unpatching",
                        "livepatch: 'lpt_callbacks': starting unpatching transition")
                .endsWith("livepatch: 'lpt_callbacks': unpatching complete");
        assertThat(stalled).isGone();
        stalled.unload();
        assertThat(livepatches.unloadModule("lpt_busy").kernelLog().lines())
                .contains("% rmmod lpt_busy", "lpt_busy: lpt_busy_work_func exit");
    }

    @Test
    void forcingEndsTheTransitionWhateverTheStacks(Livepatches livepatches) {
        Operation forced = stalled.force();
        Operation settled = stalled.awaitTransition(TRANSITION);

        assertThat(forced.kernelLog().lines()).contains("livepatch: forcing remaining tasks to the patched state");
        assertThat(settled.kernelLog().livepatchLines()).endsWith("livepatch: 'lpt_callbacks': patching complete");
        assertThat(livepatches.stack()).hasNoTransition().patch("lpt_callbacks").isEnabled();
        assertThat(livepatches.blockers()).isEmpty();
        assertThatThrownBy(stalled::force)
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("The patch is not in transition; force() only ends a running transition.")
                .satisfies(thrown ->
                        assertThat(((LivepatchException) thrown).errno()).contains("Invalid argument"));
    }

    @Test
    void blockersAreListedWhileTheTransitionRuns(Livepatches livepatches) {
        assertThat(livepatches.blockers()).extracting(Blocker::patchState).containsExactly(0);
    }
}
