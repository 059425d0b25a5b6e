package dev.livepatch.testkit.junit;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThatGuestFile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.livepatch.LivepatchException;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Operation;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.TaintFlag;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A real patch from {@code patches/} through its whole life in a real guest, one vCPU. */
@LivepatchTest(image = "minimal", cpus = 1)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LivepatchLifecycleIT {
    private static final Duration TRANSITION = Duration.ofSeconds(30);
    private static final String PATCHED = "lpt_cmdline: this has been live patched\n";

    @Test
    @Order(1)
    void loadTransitionDisableAndUnloadTheCmdlinePatch(Livepatches livepatches, PatchModules patches) {
        Patch patch = livepatches.load(patches.build("lpt_cmdline"));
        Operation settled = patch.awaitTransition(TRANSITION);

        assertThat(settled.kernelLog().livepatchLines())
                .containsExactly(
                        "% insmod lpt_cmdline.ko",
                        "livepatch: enabling patch 'lpt_cmdline'",
                        "livepatch: 'lpt_cmdline': initializing patching transition",
                        "livepatch: 'lpt_cmdline': starting patching transition",
                        "livepatch: 'lpt_cmdline': completing patching transition",
                        "livepatch: 'lpt_cmdline': patching complete");
        assertThat(livepatches.stack())
                .hasOrder("lpt_cmdline")
                .hasNoTransition()
                .hasFunctionOwner("vmlinux", "cmdline_proc_show", "lpt_cmdline")
                .patch("lpt_cmdline")
                .isEnabled()
                .hasPatchedObject("vmlinux")
                .patchesFunction("vmlinux", "cmdline_proc_show");
        assertThatGuestFile(livepatches, "/proc/cmdline").isEqualTo(PATCHED);
        assertThat(livepatches.taint()).has(TaintFlag.LIVEPATCH, TaintFlag.OOT_MODULE, TaintFlag.UNSIGNED_MODULE);
        assertThat(livepatches.refcount("lpt_cmdline")).hasValue(1);
        assertThatThrownBy(patch::unload)
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith("'rmmod lpt_cmdline' failed for lpt_cmdline: ")
                .hasMessageContaining("disable the patch first");

        Operation disabled = patch.disable();
        Operation removed = patch.awaitTransition(TRANSITION);

        assertThat(disabled.command()).isEqualTo("echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled");
        assertThat(removed.kernelLog().livepatchLines())
                .containsExactly(
                        "% echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled",
                        "livepatch: 'lpt_cmdline': initializing unpatching transition",
                        "livepatch: 'lpt_cmdline': starting unpatching transition",
                        "livepatch: 'lpt_cmdline': completing unpatching transition",
                        "livepatch: 'lpt_cmdline': unpatching complete");
        assertThat(patch).isGone();
        assertThatThrownBy(patch::enable)
                .isInstanceOfSatisfying(
                        LivepatchException.class,
                        refused -> assertThat(refused.errno()).isEmpty())
                .hasMessage("'echo 1 > /sys/kernel/livepatch/lpt_cmdline/enabled' failed for lpt_cmdline: the patch"
                        + " is not in /sys/kernel/livepatch: it was disabled or replaced (and freed), or never loaded");
        assertThat(patch.unload().kernelLog().lines()).containsExactly("% rmmod lpt_cmdline");
        assertThat(livepatches.refcount("lpt_cmdline")).isEmpty();
        assertThatGuestFile(livepatches, "/proc/cmdline").doesNotContain("live patched");
    }

    @Test
    @Order(2)
    void leavesAPatchBehind(Livepatches livepatches, PatchModules patches) {
        livepatches.load(patches.build("lpt_cmdline")).awaitTransition(TRANSITION);

        assertThatGuestFile(livepatches, "/proc/cmdline").isEqualTo(PATCHED);
    }

    @Test
    @Order(3)
    void theNextTestStartsFromTheBootSnapshot(Livepatches livepatches) {
        assertThat(livepatches.stack()).isEmpty();
        assertThat(livepatches.taint()).doesNotHave(TaintFlag.LIVEPATCH);
        assertThatGuestFile(livepatches, "/proc/cmdline").doesNotContain("live patched");
    }

    @Test
    @Order(4)
    void theTopPatchOfAFunctionWinsAndDisablingTheBottomOneKeepsIt(Livepatches livepatches, PatchModules patches) {
        livepatches.load(patches.build("lpt_cmdline")).awaitTransition(TRANSITION);
        livepatches.load(patches.build("lpt_cmdline2")).awaitTransition(TRANSITION);

        assertThat(livepatches.stack())
                .hasOrder("lpt_cmdline", "lpt_cmdline2")
                .hasOnTop("lpt_cmdline2")
                .hasFunctionOwner("vmlinux", "cmdline_proc_show", "lpt_cmdline2");
        assertThatGuestFile(livepatches, "/proc/cmdline").isEqualTo("lpt_cmdline2: this has been live patched\n");

        Patch bottom = livepatches.patch("lpt_cmdline");
        bottom.disable();
        bottom.awaitTransition(TRANSITION);

        assertThat(livepatches.stack()).hasOrder("lpt_cmdline2");
        assertThatGuestFile(livepatches, "/proc/cmdline").isEqualTo("lpt_cmdline2: this has been live patched\n");
    }

    @Test
    @Order(5)
    void anAtomicReplaceFreesTheEarlierPatchAndLeavesItsModuleUnloadable(
            Livepatches livepatches, PatchModules patches) {
        Patch cmdline = livepatches.load(patches.build("lpt_cmdline"));
        cmdline.awaitTransition(TRANSITION);
        Patch meminfo = livepatches.load(patches.build("lpt_meminfo"), Map.of("replace", "1"));
        meminfo.awaitTransition(TRANSITION);

        assertThat(livepatches.stack()).hasOrder("lpt_meminfo").doesNotContain("lpt_cmdline");
        assertThat(cmdline).isGone();
        assertThat(livepatches.refcount("lpt_cmdline")).hasValue(0);
        assertThatGuestFile(livepatches, "/proc/cmdline").doesNotContain("live patched");
        assertThatGuestFile(livepatches, "/proc/meminfo").contains("lpt_meminfo: this has been live patched");
        assertThat(cmdline.unload().kernelLog().lines()).containsExactly("% rmmod lpt_cmdline");
    }
}
