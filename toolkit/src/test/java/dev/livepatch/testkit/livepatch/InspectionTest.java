package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectionTest {
    @TempDir
    Path folder;

    FakeKernel kernel;
    Livepatches livepatches;

    @BeforeEach
    void fakeGuest() {
        kernel = new FakeKernel(folder);
        livepatches = kernel.livepatches();
    }

    private void load(String name, String extra) {
        livepatches.load(kernel.module(
                folder, name + ".ko", "fake_livepatch " + name + " 0 vmlinux cmdline_proc_show,1\n" + extra));
    }

    @Test
    void theStackIsInModuleLoadOrderWhenTheKernelHasNoStackOrder() {
        load("lpt_b", "");
        load("lpt_a", "");
        load("lpt_c", "");

        PatchStack stack = livepatches.stack();

        assertThat(stack.names()).containsExactly("lpt_b", "lpt_a", "lpt_c");
        assertThat(stack.top()).map(PatchState::name).contains("lpt_c");
        assertThat(stack.owner("vmlinux", "cmdline_proc_show"))
                .map(PatchState::name)
                .contains("lpt_c");
        assertThat(stack.patches()).allSatisfy(patch -> {
            assertThat(patch.replace()).isEmpty();
            assertThat(patch.stackOrder()).isEmpty();
        });
    }

    @Test
    void theKernelsStackOrderWinsWhereItExists() {
        load("lpt_b", "echo 2 > \"$R/sys/kernel/livepatch/lpt_b/stack_order\"");
        load("lpt_a", "echo 1 > \"$R/sys/kernel/livepatch/lpt_a/stack_order\"");

        assertThat(livepatches.patches()).extracting(PatchState::name).containsExactly("lpt_a", "lpt_b");
        assertThat(livepatches.patches())
                .extracting(PatchState::stackOrder)
                .containsExactly(Optional.of(1), Optional.of(2));
    }

    @Test
    void aPatchStateCarriesItsAttributesObjectsAndFunctions() {
        livepatches.load(kernel.module(
                folder,
                "lpt_replace.ko",
                String.join(
                        "\n",
                        "fake_livepatch lpt_replace 1 vmlinux meminfo_proc_show,1 cmdline_proc_show,2",
                        "echo 1 > \"$R/sys/kernel/livepatch/lpt_replace/replace\"",
                        "mkdir -p \"$R/sys/kernel/livepatch/lpt_replace/lpt_fixture/busymod_work_func,1\"",
                        "echo 0 > \"$R/sys/kernel/livepatch/lpt_replace/lpt_fixture/patched\"")));

        PatchState state = livepatches.stack().find("lpt_replace").orElseThrow();

        assertThat(state.enabled()).isTrue();
        assertThat(state.inTransition()).isTrue();
        assertThat(state.replace()).contains(true);
        assertThat(state.objects()).extracting(PatchedObject::name).containsExactlyInAnyOrder("vmlinux", "lpt_fixture");
        assertThat(state.object("vmlinux").orElseThrow().functions())
                .containsExactlyInAnyOrder(
                        new PatchedFunction("meminfo_proc_show", 1), new PatchedFunction("cmdline_proc_show", 2));
        assertThat(state.object("lpt_fixture").orElseThrow().patched()).contains(false);
        assertThat(state.summary()).startsWith("lpt_replace enabled=1 transition=1 replace=1 objects=[");
        assertThat(livepatches.stack().inTransition()).map(PatchState::name).contains("lpt_replace");
    }

    @Test
    void noTransitionMeansNoBlockers() {
        load("lpt_a", "");
        kernel.task(29, 0, "kworker/0:1");

        assertThat(livepatches.blockers()).isEmpty();
    }

    @Test
    void blockersAreTheTasksNotInTheTargetStateWithTheKernelsLatestReasonSinceTheTransitionStarted() {
        livepatches.load(
                kernel.module(
                        folder,
                        "lpt_a.ko",
                        String.join(
                                "\n",
                                "kmsg \"livepatch: klp_try_switch_task: kworker/0:1:29 is running\"",
                                "fake_livepatch lpt_a 1 vmlinux cmdline_proc_show,1",
                                "echo 0 > \"$R/sys/kernel/livepatch/lpt_a/enabled\"",
                                "kmsg \"livepatch: klp_try_switch_task: kworker/0:1:29 has an unreliable stack\"",
                                "kmsg \"livepatch: klp_try_switch_task: kworker/0:1:29 is sleeping on function cmdline_proc_show\"")));
        kernel.task(29, 1, "kworker/0:1", "[<0>] cmdline_proc_show+0x10/0x20");
        kernel.task(31, 1, "cat with spaces");
        kernel.task(30, 0, "sh");
        kernel.task(32, -1, "idle");

        assertThat(livepatches.blockers())
                .containsExactlyInAnyOrder(
                        new Blocker(
                                29,
                                "kworker/0:1",
                                1,
                                List.of("[<0>] cmdline_proc_show+0x10/0x20"),
                                Optional.of("is sleeping on function cmdline_proc_show")),
                        new Blocker(31, "cat with spaces", 1, List.of(), Optional.empty()));
    }

    @Test
    void anIdleTaskTheKernelNamesIsABlockerWithoutAStackAsProcDoesNotListIt() {
        livepatches.load(kernel.module(
                folder,
                "lpt_a.ko",
                String.join(
                        "\n",
                        "fake_livepatch lpt_a 1 vmlinux cmdline_proc_show,1",
                        "kmsg \"livepatch: klp_try_switch_task: swapper/1:0 is running\"",
                        "kmsg \"livepatch: klp_try_switch_task: swapper/0:0 is running\"",
                        "kmsg \"livepatch: klp_try_switch_task: swapper/0:0 has an unreliable stack\"")));
        kernel.task(66, 1, "hammer");

        assertThat(livepatches.blockers())
                .containsExactly(
                        new Blocker(0, "swapper/1", 0, List.of(), Optional.of("is running")),
                        new Blocker(0, "swapper/0", 0, List.of(), Optional.of("has an unreliable stack")));
    }

    @Test
    void aModuleParameterIsWrittenAfterAMarkerAndAMissingOneIsNamed() {
        kernel.write("/sys/module/lpt_busy/parameters/block_transition", "Y\n");

        Operation written = livepatches.setModuleParameter("lpt_busy", "block_transition", "0");

        assertThat(kernel.file("/sys/module/lpt_busy/parameters/block_transition"))
                .isEqualTo("0\n");
        assertThat(written.command()).isEqualTo("echo 0 > /sys/module/lpt_busy/parameters/block_transition");
        assertThat(written.kernelLog().lines())
                .containsExactly("% echo 0 > /sys/module/lpt_busy/parameters/block_transition");
        assertThatThrownBy(() -> livepatches.setModuleParameter("lpt_busy", "ghost", "1"))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("/sys/module/lpt_busy/parameters/ghost")
                .hasMessageContaining("the guest has no such file (is its module loaded?)");
    }

    @Test
    void awaitingARefcountReturnsOnceItReadsTheCountAndOtherwiseSaysWhatItLastSaw() {
        load("lpt_a", "later 0.3 sh -c 'echo 0 > \"$R/sys/module/lpt_a/refcnt\"'");

        Operation dropped = livepatches.awaitRefcount("lpt_a", 0, Duration.ofSeconds(20));

        assertThat(dropped.command()).isEqualTo("wait for the reference count of module lpt_a to read 0");
        assertThatThrownBy(() -> livepatches.awaitRefcount("lpt_a", 2, Duration.ofMillis(100)))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("wait for the reference count of module lpt_a to read 2")
                .hasMessageContaining("it did not within 100 ms; last seen: refcnt 0");
        assertThatThrownBy(() -> livepatches.awaitRefcount("absent", 0, Duration.ofMillis(100)))
                .hasMessageContaining("last seen: the module is not loaded");
    }

    @Test
    void taintRefcountKernelLogSysfsDumpAndFilesAreReadFromTheGuest() {
        load("lpt_a", "");
        kernel.write("/proc/sys/kernel/tainted", "45056\n");
        kernel.write("/proc/cmdline", "lpt_a: this has been live patched\n");

        assertThat(livepatches.taint().letters()).isEqualTo("OEK");
        assertThat(livepatches.refcount("lpt_a")).hasValue(1);
        assertThat(livepatches.refcount("absent")).isEmpty();
        assertThat(livepatches.kernelLog().lines())
                .startsWith("Linux version 6.1.0-fake")
                .contains("% insmod lpt_a.ko");
        assertThat(livepatches.sysfsDump().lines())
                .contains("/sys/kernel/livepatch/lpt_a/enabled:1", "/sys/kernel/livepatch/lpt_a/vmlinux/patched:1");
        assertThat(livepatches.read("/proc/cmdline")).isEqualTo("lpt_a: this has been live patched\n");
        assertThatThrownBy(() -> livepatches.read("/proc/absent"))
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith("'cat /proc/absent' failed for /proc/absent: ")
                .hasMessageContaining("No such file or directory");
    }
}
