package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel's own 6.1 livepatch selftests, test-sysfs.sh: the livepatch sysfs interface; the same steps and the same kernel log, with the toolkit's modules. */
@Tag("selftests")
@LivepatchTest(image = "selftest")
class SelftestSysfsIT {
    @Test
    @DisplayName("sysfs test")
    void sysfsTest(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "sysfs test");
        t.loadLivepatch("lpt_cmdline");
        t.checkSysfsRights("lpt_cmdline", "", "drwxr-xr-x");
        t.checkSysfsRights("lpt_cmdline", "enabled", "-rw-r--r--");
        t.checkSysfsValue("lpt_cmdline", "enabled", "1");
        t.checkSysfsRights("lpt_cmdline", "force", "--w-------");
        t.checkSysfsRights("lpt_cmdline", "transition", "-r--r--r--");
        t.checkSysfsValue("lpt_cmdline", "transition", "0");
        t.checkSysfsRights("lpt_cmdline", "vmlinux/patched", "-r--r--r--");
        t.checkSysfsValue("lpt_cmdline", "vmlinux/patched", "1");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
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
    @DisplayName("sysfs test object/patched")
    void sysfsTestObjectPatched(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "sysfs test object/patched");
        t.loadLivepatch("lpt_callbacks");
        t.checkSysfsValue("lpt_callbacks", "lpt_target/patched", "0");
        t.loadModule("lpt_target");
        t.checkSysfsValue("lpt_callbacks", "lpt_target/patched", "1");
        t.unload("lpt_target");
        t.checkSysfsValue("lpt_callbacks", "lpt_target/patched", "0");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks");
        t.check("""
                % insmod lpt_callbacks.ko
                livepatch: enabling patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': initializing patching transition
                lpt_callbacks: pre_patch_callback: vmlinux
                livepatch: 'lpt_callbacks': starting patching transition
                livepatch: 'lpt_callbacks': completing patching transition
                lpt_callbacks: post_patch_callback: vmlinux
                livepatch: 'lpt_callbacks': patching complete
                % insmod lpt_target.ko
                livepatch: applying patch 'lpt_callbacks' to loading module 'lpt_target'
                lpt_callbacks: pre_patch_callback: lpt_target -> [MODULE_STATE_COMING] Full formed, running module_init
                lpt_callbacks: post_patch_callback: lpt_target -> [MODULE_STATE_COMING] Full formed, running module_init
                lpt_target: lpt_target_init
                % rmmod lpt_target
                lpt_target: lpt_target_exit
                lpt_callbacks: pre_unpatch_callback: lpt_target -> [MODULE_STATE_GOING] Going away
                livepatch: reverting patch 'lpt_callbacks' on unloading module 'lpt_target'
                lpt_callbacks: post_unpatch_callback: lpt_target -> [MODULE_STATE_GOING] Going away
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled
                livepatch: 'lpt_callbacks': initializing unpatching transition
                lpt_callbacks: pre_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks': starting unpatching transition
                livepatch: 'lpt_callbacks': completing unpatching transition
                lpt_callbacks: post_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_callbacks
                """);
    }
}
