package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransitionTest {
    private static final String PATCH = "/sys/kernel/livepatch/lpt_busy";

    @TempDir
    Path folder;

    FakeKernel kernel;
    Livepatches livepatches;

    @BeforeEach
    void fakeGuest() {
        kernel = new FakeKernel(folder);
        livepatches = kernel.livepatches();
    }

    private Patch stalledPatch(String finish) {
        return livepatches.load(kernel.module(
                folder, "lpt_busy.ko", "fake_livepatch lpt_busy 1 lpt_fixture busymod_work_func,1\n" + finish));
    }

    @Test
    void awaitReturnsOnceTheGuestSeesTheTransitionEndAndReportsTheWholeTransitionLog() {
        // The kernel's order: klp_complete_transition() logs "patching complete" before it clears the transition.
        Patch patch = stalledPatch("later 0.3 sh -c '"
                + "echo \"livepatch: '\\''lpt_busy'\\'': patching complete\" >> \"$R/dev/kmsg\"; "
                + "echo 0 > \"$R" + PATCH + "/transition\"'");
        int commandsBefore = kernel.shell().commands().size();

        Operation waited = patch.awaitTransition(Duration.ofSeconds(10));

        assertThat(kernel.shell().commands()).hasSize(commandsBefore + 1);
        assertThat(waited.command())
                .isEqualTo(
                        "wait for the patching transition of patch 'lpt_busy' to finish" + " (transition=0 enabled=1)");
        assertThat(waited.duration()).isBetween(Duration.ofMillis(250), Duration.ofSeconds(5));
        assertThat(waited.kernelLog().lines())
                .startsWith("% insmod lpt_busy.ko")
                .contains("testkit: awaiting lpt_busy")
                .endsWith("livepatch: 'lpt_busy': patching complete");
        TransitionTimeline timeline = waited.timeline().orElseThrow();
        assertThat(timeline.ending()).isEqualTo(TransitionTimeline.Ending.COMPLETED);
        assertThat(timeline.events())
                .extracting(TransitionTimeline.Event::kind)
                .endsWith(TransitionTimeline.Kind.COMPLETED);
        assertThat(timeline.samples())
                .isNotEmpty()
                .last()
                .extracting(TransitionTimeline.Sample::tasksNotSwitched)
                .isEqualTo(0);
        assertThat(livepatches.transitions()).containsExactly(timeline);
    }

    @Test
    void aTransitionThatWasOverWhenTheLoadReturnedIsAwaitedWithoutAskingTheGuest() {
        Path ko = kernel.module(
                folder,
                "lpt_quick.ko",
                "fake_livepatch lpt_quick 0 vmlinux f,1\n" + "kmsg \"livepatch: 'lpt_quick': patching complete\"");
        Patch patch = livepatches.load(ko);
        int commandsBefore = kernel.shell().commands().size();

        Operation waited = patch.awaitTransition(Duration.ofSeconds(10));

        assertThat(kernel.shell().commands()).hasSize(commandsBefore);
        assertThat(waited.command())
                .isEqualTo("wait for the patching transition of patch 'lpt_quick' to finish (transition=0 enabled=1)");
        assertThat(waited.duration()).isZero();
        assertThat(waited.kernelLog().lines())
                .startsWith("% insmod lpt_quick.ko")
                .endsWith("livepatch: 'lpt_quick': patching complete");
        patch.awaitTransition(Duration.ofSeconds(10));
        assertThat(kernel.shell().commands()).hasSize(commandsBefore + 1);
    }

    @Test
    void aStalledTransitionTimesOutNamingWhatItAwaitedWhatItSawAndTheBlockingTasks() {
        Patch patch = stalledPatch("");
        kernel.task(29, 0, "kworker/0:1", "[<0>] msleep+0x2a/0x40", "[<0>] busymod_work_func+0x1f/0x30 [lpt_fixture]");
        kernel.task(30, 1, "sh");
        kernel.write(
                "/dev/kmsg",
                kernel.file("/dev/kmsg")
                        + "livepatch: klp_try_switch_task: kworker/0:1:29 is sleeping on function busymod_work_func\n");

        assertThatThrownBy(() -> patch.awaitTransition(Duration.ofMillis(300)))
                .isInstanceOf(TransitionTimeoutException.class)
                .hasMessageStartingWith("Timed out waiting for the patching transition of patch 'lpt_busy' to finish"
                        + " after 300 ms; last seen: transition=1 enabled=1; 1 task(s) not switched yet:\n"
                        + "  kworker/0:1 (pid 29, patch_state 0) is sleeping on function busymod_work_func;"
                        + " stack: msleep+0x2a/0x40 < busymod_work_func+0x1f/0x30 [lpt_fixture]\n"
                        + "A transition can stall forever: reverse() or force() ends it.\nKernel log:\n"
                        + "  [    2.002000] % insmod lpt_busy.ko\n")
                .satisfies(thrown -> {
                    TransitionTimeoutException timeout = (TransitionTimeoutException) thrown;
                    assertThat(timeout.limit()).isEqualTo(Duration.ofMillis(300));
                    assertThat(timeout.lastSeen()).isEqualTo("transition=1 enabled=1");
                    assertThat(timeout.blockers()).extracting(Blocker::pid).containsExactly(29);
                    assertThat(timeout.kernelLog().lines()).first().isEqualTo("% insmod lpt_busy.ko");
                });
    }

    @Test
    void disableWritesZeroAfterItsMarkerAndAwaitThenWaitsUntilThePatchIsFreed() {
        Patch patch = stalledPatch("echo 0 > \"$R" + PATCH + "/transition\"");

        Operation disabled = patch.disable();
        assertThat(kernel.file(PATCH + "/enabled")).isEqualTo("0\n");
        kernel.shell()
                .exec("(sleep 0.2; rm -r " + kernel.root() + PATCH + ") > /dev/null 2>&1 &", Duration.ofSeconds(5));
        Operation waited = patch.awaitTransition(Duration.ofSeconds(10));

        assertThat(disabled.command()).isEqualTo("echo 0 > " + PATCH + "/enabled");
        assertThat(disabled.kernelLog().lines()).containsExactly("% echo 0 > " + PATCH + "/enabled");
        assertThat(waited.command())
                .isEqualTo("wait for the unpatching transition of patch 'lpt_busy' to finish (removed)");
        assertThat(waited.kernelLog().lines()).first().isEqualTo("% echo 0 > " + PATCH + "/enabled");
        assertThat(patch.state()).isEmpty();
    }

    @Test
    void reverseWritesTheOppositeOfEnabledWhileInTransition() {
        Patch patch = stalledPatch("");

        Operation reversed = patch.reverse();

        assertThat(kernel.file(PATCH + "/enabled")).isEqualTo("0\n");
        assertThat(reversed.command()).isEqualTo("echo 0 > " + PATCH + "/enabled");
        assertThat(reversed.kernelLog().lines()).containsExactly("% echo 0 > " + PATCH + "/enabled");
    }

    @Test
    void reverseRefusesAPatchThatIsNotInTransition() {
        Patch patch = stalledPatch("echo 0 > \"$R" + PATCH + "/transition\"");

        assertThatThrownBy(patch::reverse)
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'echo 0 > " + PATCH + "/enabled' failed for lpt_busy: the patch is not in transition"
                        + " (transition=0 enabled=1); reverse() only turns a running transition around. Use disable()"
                        + " to disable an enabled patch.");
        assertThat(kernel.file(PATCH + "/enabled")).isEqualTo("1\n");
    }

    @Test
    void forceWritesOneToTheForceAttribute() {
        Patch patch = stalledPatch("");

        Operation forced = patch.force();

        assertThat(kernel.file(PATCH + "/force")).isEqualTo("1\n");
        assertThat(forced.command()).isEqualTo("echo 1 > " + PATCH + "/force");
    }

    @Test
    void writingToAPatchThatIsGoneSaysSoWithoutTouchingTheKernelLog() {
        Patch patch = livepatches.patch("lpt_gone");
        String logBefore = kernel.file("/dev/kmsg");

        assertThatThrownBy(patch::disable)
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'echo 0 > /sys/kernel/livepatch/lpt_gone/enabled' failed for lpt_gone: the patch is not"
                        + " in /sys/kernel/livepatch: it was disabled or replaced (and freed), or never loaded");
        assertThat(kernel.file("/dev/kmsg")).isEqualTo(logBefore);
    }

    @Test
    void aWriteTheKernelRefusesReportsTheErrnoText() {
        Patch patch = stalledPatch("");
        kernel.shell()
                .exec(
                        "rm " + kernel.root() + PATCH + "/force && mkdir " + kernel.root() + PATCH + "/force",
                        Duration.ofSeconds(5));

        assertThatThrownBy(patch::force)
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith("'echo 1 > " + PATCH + "/force' failed for lpt_busy: ")
                .hasMessageContaining("Kernel log:\n  [")
                .satisfies(thrown -> assertThat(((LivepatchException) thrown).errno())
                        .hasValueSatisfying(errno -> assertThat(errno).containsIgnoringCase("directory")));
    }

    @Test
    void operationsSwitchOnTheLivepatchDebugMessagesAndTracingAddsThePerTaskReasons() {
        Patch patch = stalledPatch("");
        assertThat(kernel.file("/sys/kernel/debug/dynamic_debug/control"))
                .isEqualTo("file kernel/livepatch/* +p\nfunc klp_try_switch_task -p\n");

        livepatches.traceTaskSwitching(true);

        assertThat(kernel.file("/sys/kernel/debug/dynamic_debug/control"))
                .isEqualTo("file kernel/livepatch/* +p\nfunc klp_try_switch_task +p\n");
        patch.force();
        assertThat(kernel.file("/sys/kernel/debug/dynamic_debug/control")).endsWith("klp_try_switch_task +p\n");
    }
}
