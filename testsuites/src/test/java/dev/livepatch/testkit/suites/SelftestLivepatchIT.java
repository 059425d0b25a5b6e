package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel's own livepatch selftests, test-livepatch.sh: function patching (of vmlinux and of a module), stacking and atomic replace; the same steps and the same kernel log, with the toolkit's modules. */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestLivepatchIT {
    @Test
    @DisplayName("basic function patching")
    void basicFunctionPatching(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "basic function patching");
        t.loadLivepatch("lpt_cmdline");
        t.expectContent("/proc/cmdline", "lpt_cmdline: this has been live patched");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
        t.expectNotContent("/proc/cmdline", "lpt_cmdline: this has been live patched");
        t.check("""
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: 'lpt_cmdline': starting patching transition
                livepatch: 'lpt_cmdline': completing patching transition
                livepatch: 'lpt_cmdline': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled
                livepatch: 'lpt_cmdline': initializing unpatching transition
                livepatch: 'lpt_cmdline': starting unpatching transition
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                % rmmod lpt_cmdline
                """);
    }

    @Test
    @DisplayName("multiple livepatches")
    void multipleLivepatches(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "multiple livepatches");
        t.loadLivepatch("lpt_cmdline");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.loadLivepatch("lpt_meminfo", "replace=0");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.disable("lpt_meminfo");
        t.unload("lpt_meminfo");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.check("""
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: 'lpt_cmdline': starting patching transition
                livepatch: 'lpt_cmdline': completing patching transition
                livepatch: 'lpt_cmdline': patching complete
                lpt_cmdline: this has been live patched
                % insmod lpt_meminfo.ko replace=0
                livepatch: enabling patch 'lpt_meminfo'
                livepatch: 'lpt_meminfo': initializing patching transition
                livepatch: 'lpt_meminfo': starting patching transition
                livepatch: 'lpt_meminfo': completing patching transition
                livepatch: 'lpt_meminfo': patching complete
                lpt_cmdline: this has been live patched
                lpt_meminfo: this has been live patched
                % echo 0 > /sys/kernel/livepatch/lpt_meminfo/enabled
                livepatch: 'lpt_meminfo': initializing unpatching transition
                livepatch: 'lpt_meminfo': starting unpatching transition
                livepatch: 'lpt_meminfo': completing unpatching transition
                livepatch: 'lpt_meminfo': unpatching complete
                % rmmod lpt_meminfo
                lpt_cmdline: this has been live patched
                % echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled
                livepatch: 'lpt_cmdline': initializing unpatching transition
                livepatch: 'lpt_cmdline': starting unpatching transition
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                % rmmod lpt_cmdline
                """);
    }

    @Test
    @DisplayName("atomic replace livepatch")
    void atomicReplaceLivepatch(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "atomic replace livepatch");
        t.loadLivepatch("lpt_cmdline");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.loadLivepatch("lpt_meminfo", "replace=1");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.unload("lpt_cmdline");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.disable("lpt_meminfo");
        t.unload("lpt_meminfo");
        t.probe("/proc/cmdline");
        t.probe("/proc/meminfo");
        t.check("""
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: 'lpt_cmdline': starting patching transition
                livepatch: 'lpt_cmdline': completing patching transition
                livepatch: 'lpt_cmdline': patching complete
                lpt_cmdline: this has been live patched
                % insmod lpt_meminfo.ko replace=1
                livepatch: enabling patch 'lpt_meminfo'
                livepatch: 'lpt_meminfo': initializing patching transition
                livepatch: 'lpt_meminfo': starting patching transition
                livepatch: 'lpt_meminfo': completing patching transition
                livepatch: 'lpt_meminfo': patching complete
                lpt_meminfo: this has been live patched
                % rmmod lpt_cmdline
                lpt_meminfo: this has been live patched
                % echo 0 > /sys/kernel/livepatch/lpt_meminfo/enabled
                livepatch: 'lpt_meminfo': initializing unpatching transition
                livepatch: 'lpt_meminfo': starting unpatching transition
                livepatch: 'lpt_meminfo': completing unpatching transition
                livepatch: 'lpt_meminfo': unpatching complete
                % rmmod lpt_meminfo
                """);
    }

    @Test
    @DisplayName("module function patching")
    void moduleFunctionPatching(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "module function patching");
        t.loadModule("lpt_target");
        t.expectContent("/proc/lpt_target", "lpt_target: original output");
        t.loadLivepatch("lpt_target_patch");
        t.expectContent("/proc/lpt_target", "lpt_target_patch: this has been live patched");
        t.disable("lpt_target_patch");
        t.unload("lpt_target_patch");
        t.expectContent("/proc/lpt_target", "lpt_target: original output");
        t.unload("lpt_target");
        t.check("""
                % insmod lpt_target.ko
                lpt_target: lpt_target_init
                % insmod lpt_target_patch.ko
                livepatch: enabling patch 'lpt_target_patch'
                livepatch: 'lpt_target_patch': initializing patching transition
                livepatch: 'lpt_target_patch': starting patching transition
                livepatch: 'lpt_target_patch': completing patching transition
                livepatch: 'lpt_target_patch': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_target_patch/enabled
                livepatch: 'lpt_target_patch': initializing unpatching transition
                livepatch: 'lpt_target_patch': starting unpatching transition
                livepatch: 'lpt_target_patch': completing unpatching transition
                livepatch: 'lpt_target_patch': unpatching complete
                % rmmod lpt_target_patch
                % rmmod lpt_target
                lpt_target: lpt_target_exit
                """);
    }

    @Test
    @DisplayName("module function patching (livepatch first)")
    void moduleFunctionPatchingLivepatchFirst(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "module function patching (livepatch first)");
        t.loadLivepatch("lpt_target_patch");
        t.loadModule("lpt_target");
        t.expectContent("/proc/lpt_target", "lpt_target_patch: this has been live patched");
        t.disable("lpt_target_patch");
        t.unload("lpt_target_patch");
        t.expectContent("/proc/lpt_target", "lpt_target: original output");
        t.unload("lpt_target");
        t.check("""
                % insmod lpt_target_patch.ko
                livepatch: enabling patch 'lpt_target_patch'
                livepatch: 'lpt_target_patch': initializing patching transition
                livepatch: 'lpt_target_patch': starting patching transition
                livepatch: 'lpt_target_patch': completing patching transition
                livepatch: 'lpt_target_patch': patching complete
                % insmod lpt_target.ko
                livepatch: applying patch 'lpt_target_patch' to loading module 'lpt_target'
                lpt_target: lpt_target_init
                % echo 0 > /sys/kernel/livepatch/lpt_target_patch/enabled
                livepatch: 'lpt_target_patch': initializing unpatching transition
                livepatch: 'lpt_target_patch': starting unpatching transition
                livepatch: 'lpt_target_patch': completing unpatching transition
                livepatch: 'lpt_target_patch': unpatching complete
                % rmmod lpt_target_patch
                % rmmod lpt_target
                lpt_target: lpt_target_exit
                """);
    }
}
