package dev.livepatch.testkit.junit;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThatGuestFile;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.livepatch.FakeKernel;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.PatchStack;
import dev.livepatch.testkit.livepatch.PatchState;
import dev.livepatch.testkit.livepatch.PatchedFunction;
import dev.livepatch.testkit.livepatch.PatchedObject;
import dev.livepatch.testkit.livepatch.Taint;
import dev.livepatch.testkit.livepatch.TaintFlag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LivepatchAssertionsTest {
    private static final PatchedObject VMLINUX =
            new PatchedObject("vmlinux", Optional.of(true), List.of(new PatchedFunction("cmdline_proc_show", 1)));
    private static final PatchedObject ABSENT_MODULE = new PatchedObject("lpt_fixture", Optional.of(false), List.of());

    private static PatchState patch(String name, boolean enabled, boolean transition, Optional<Boolean> replace) {
        return new PatchState(name, enabled, transition, replace, Optional.empty(), List.of(VMLINUX, ABSENT_MODULE));
    }

    @Test
    void patchStateAssertionsPassOnWhatSysfsShowed() {
        assertThat(patch("lpt_a", true, false, Optional.of(true)))
                .isEnabled()
                .isNotInTransition()
                .isReplacePatch()
                .hasPatchedObject("vmlinux")
                .hasUnpatchedObject("lpt_fixture")
                .patchesFunction("vmlinux", "cmdline_proc_show");
        assertThat(patch("lpt_a", false, true, Optional.of(false)))
                .isDisabled()
                .isInTransition()
                .isNotReplacePatch();
    }

    @Test
    void patchStateFailuresSayWhatWasExpectedAndWhatSysfsShowed() {
        PatchState busy = patch("lpt_a", true, true, Optional.empty());

        assertThatThrownBy(() -> assertThat(busy).isNotInTransition())
                .hasMessage("Expected patch 'lpt_a' to be out of transition but it is in its patching transition:"
                        + " lpt_a enabled=1 transition=1 objects=[vmlinux, lpt_fixture]");
        assertThatThrownBy(() -> assertThat(busy).isReplacePatch())
                .hasMessage("Cannot tell whether patch 'lpt_a' is a replace patch: the guest's kernel has no 'replace'"
                        + " attribute (added in 6.11)");
        assertThatThrownBy(() -> assertThat(busy).hasStackOrder(1))
                .hasMessage("Cannot check the stack order of patch 'lpt_a': the guest's kernel has no 'stack_order'"
                        + " attribute (added in 6.13)");
        assertThatThrownBy(() -> assertThat(busy).hasPatchedObject("lpt_fixture"))
                .hasMessage("Expected object 'lpt_fixture' of patch 'lpt_a' to be patched but it is not");
        assertThatThrownBy(() -> assertThat(busy).hasPatchedObject("ext4"))
                .hasMessage("Expected patch 'lpt_a' to have object 'ext4' but it has [vmlinux, lpt_fixture]");
        assertThatThrownBy(() -> assertThat(busy).patchesFunction("vmlinux", "meminfo_proc_show"))
                .hasMessage("Expected patch 'lpt_a' to replace meminfo_proc_show in 'vmlinux' but it replaces"
                        + " [cmdline_proc_show,1]");
    }

    @Test
    void stackAssertionsCheckPresenceOrderTopAndWhoseFunctionRuns() {
        PatchStack stack = new PatchStack(
                List.of(patch("lpt_a", true, false, Optional.empty()), patch("lpt_b", true, false, Optional.empty())));

        assertThat(stack)
                .contains("lpt_a", "lpt_b")
                .doesNotContain("lpt_replaced")
                .hasOrder("lpt_a", "lpt_b")
                .hasOnTop("lpt_b")
                .hasNoTransition()
                .hasFunctionOwner("vmlinux", "cmdline_proc_show", "lpt_b")
                .patch("lpt_a")
                .isEnabled();
        assertThatThrownBy(() -> assertThat(stack).hasOnTop("lpt_a"))
                .hasMessage("Expected patch 'lpt_a' on top of the stack but found [lpt_a, lpt_b] (bottom to top)");
        assertThatThrownBy(() -> assertThat(stack).doesNotContain("lpt_a"))
                .hasMessage("Expected patch 'lpt_a' to be gone from /sys/kernel/livepatch but it is there: lpt_a"
                        + " enabled=1 transition=0 objects=[vmlinux, lpt_fixture]");
        assertThatThrownBy(() -> assertThat(stack).isEmpty())
                .hasMessage("Expected no livepatch but found [lpt_a, lpt_b]");
        assertThatThrownBy(() -> assertThat(stack).hasFunctionOwner("vmlinux", "cmdline_proc_show", "lpt_a"))
                .hasMessage("Expected patch 'lpt_a' to own cmdline_proc_show in 'vmlinux' but 'lpt_b' does");
        assertThatThrownBy(() -> assertThat(new PatchStack(List.of(patch("lpt_c", false, true, Optional.empty()))))
                        .hasNoTransition())
                .hasMessage("Expected no transition but patch 'lpt_c' is in its unpatching transition");
    }

    @Test
    void stackOrderAssertionsNameEveryPatchWithTheNumberSysfsGaveIt(@TempDir Path folder) {
        FakeKernel kernel = new FakeKernel(folder);
        Livepatches livepatches = kernel.livepatches();
        for (String name : List.of("lpt_a", "lpt_b", "lpt_c")) {
            livepatches
                    .load(kernel.module(folder, name + ".ko", "fake_livepatch " + name + " 0 vmlinux"))
                    .awaitTransition();
        }
        kernel.write("/sys/kernel/livepatch/lpt_a/stack_order", "1\n");
        kernel.write("/sys/kernel/livepatch/lpt_b/stack_order", "3\n");
        kernel.write("/sys/kernel/livepatch/lpt_c/stack_order", "2\n");

        assertThat(livepatches.stack()).hasStackOrder("lpt_a", "lpt_c", "lpt_b").hasStackOrder("lpt_a", "lpt_c");
        assertThatThrownBy(() -> assertThat(livepatches.stack()).hasStackOrder("lpt_a", "lpt_b", "lpt_c"))
                .hasMessage("Expected stack_order [lpt_a=1, lpt_b=2, lpt_c=3] but sysfs shows [lpt_a=1, lpt_b=3,"
                        + " lpt_c=2]");
        assertThatThrownBy(() -> assertThat(livepatches.stack()).hasStackOrder("lpt_a", "lpt_gone"))
                .hasMessage("Expected patch 'lpt_gone' in /sys/kernel/livepatch but found [lpt_a, lpt_c, lpt_b]");
    }

    @Test
    void stackOrderAssertionsNeedTheAttribute() {
        PatchStack stack = new PatchStack(List.of(patch("lpt_a", true, false, Optional.empty())));

        assertThatThrownBy(() -> assertThat(stack).hasStackOrder("lpt_a"))
                .hasMessage("Cannot check the stack order of patch 'lpt_a': the guest's kernel has no 'stack_order'"
                        + " attribute (added in 6.14)");
    }

    @Test
    void taintAssertionsNameTheFlagAndTheWholeMask() {
        Taint taint = new Taint(45056);

        assertThat(taint).has(TaintFlag.LIVEPATCH, TaintFlag.OOT_MODULE).doesNotHave(TaintFlag.FORCED_RMMOD);
        assertThatThrownBy(() -> assertThat(taint).isUntainted())
                .hasMessageStartingWith("Expected an untainted kernel but its taint is 45056 (OEK: ");
        assertThatThrownBy(() -> assertThat(new Taint(0)).has(TaintFlag.LIVEPATCH))
                .hasMessage("Expected the kernel to be tainted LIVEPATCH ('K': kernel has been live patched) but its"
                        + " taint is 0 (not tainted)");
    }

    @Test
    void patchHandleAndGuestFileAssertionsReadTheGuestNow(@TempDir Path folder) throws Exception {
        FakeKernel kernel = new FakeKernel(folder);
        Livepatches livepatches = kernel.livepatches();
        Patch patch = livepatches.load(
                kernel.module(folder, "lpt_cmdline.ko", "fake_livepatch lpt_cmdline 0 vmlinux cmdline_proc_show,1"));
        kernel.write("/proc/cmdline", "lpt_cmdline: this has been live patched\n");

        assertThat(patch).isPresent().isEnabled().isNotInTransition();
        assertThatThrownBy(() -> assertThat(patch).isGone())
                .hasMessage("Expected patch 'lpt_cmdline' to be gone from /sys/kernel/livepatch but it is there:"
                        + " lpt_cmdline enabled=1 transition=0 objects=[vmlinux]");
        assertThatGuestFile(livepatches, "/proc/cmdline").contains("this has been live patched");
        assertThatThrownBy(
                        () -> assertThatGuestFile(livepatches, "/proc/cmdline").contains("original"))
                .hasMessageContaining("[guest file /proc/cmdline]");

        kernel.shell().run("rm -r " + kernel.root() + "/sys/kernel/livepatch/lpt_cmdline", Duration.ofSeconds(5));

        assertThat(patch).isGone();
        assertThatThrownBy(() -> assertThat(patch).isPresent())
                .hasMessage("Expected patch 'lpt_cmdline' in /sys/kernel/livepatch but it is gone (disabled, replaced"
                        + " or never loaded)");
    }
}
