package dev.livepatch.testkit.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The kernel's own livepatch selftests, test-sysfs.sh: the livepatch sysfs interface, with the replace and stack_order attributes where the kernel has them; the same steps and the same kernel log, with the toolkit's modules. */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestSysfsIT {
    private static final String NO_REPLACE =
            "this kernel has no /sys/kernel/livepatch/<patch>/replace attribute (it arrived in Linux 6.11)";
    private static final String NO_STACK_ORDER =
            "this kernel has no /sys/kernel/livepatch/<patch>/stack_order attribute (it arrived in Linux 6.14)";

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

    @ParameterizedTest(name = "sysfs test replace {0}", quoteTextArguments = false)
    @CsvSource({"enabled,1", "disabled,0"})
    void sysfsTestReplace(String state, String replace, Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "sysfs test replace " + state);
        t.loadLivepatch("lpt_meminfo", "replace=" + replace);
        assumeTrue(t.hasSysfsAttributeElseRemove("lpt_meminfo", "replace"), NO_REPLACE);
        t.checkSysfsRights("lpt_meminfo", "replace", "-r--r--r--");
        t.checkSysfsValue("lpt_meminfo", "replace", replace);
        t.disable("lpt_meminfo");
        t.unload("lpt_meminfo");
        t.check("""
                % insmod lpt_meminfo.ko replace=REPLACE
                livepatch: enabling patch 'lpt_meminfo'
                livepatch: 'lpt_meminfo': initializing patching transition
                livepatch: 'lpt_meminfo': starting patching transition
                livepatch: 'lpt_meminfo': completing patching transition
                livepatch: 'lpt_meminfo': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_meminfo/enabled
                livepatch: 'lpt_meminfo': initializing unpatching transition
                livepatch: 'lpt_meminfo': starting unpatching transition
                livepatch: 'lpt_meminfo': completing unpatching transition
                livepatch: 'lpt_meminfo': unpatching complete
                % rmmod lpt_meminfo
                """.replace("REPLACE", replace));
    }

    @Test
    @DisplayName("sysfs test stack_order value")
    void sysfsTestStackOrderValue(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "sysfs test stack_order value");
        t.loadLivepatch("lpt_cmdline");
        assumeTrue(t.hasSysfsAttributeElseRemove("lpt_cmdline", "stack_order"), NO_STACK_ORDER);
        t.checkSysfsValue("lpt_cmdline", "stack_order", "1");
        t.loadLivepatch("lpt_callbacks");
        t.checkSysfsValue("lpt_callbacks", "stack_order", "2");
        t.loadLivepatch("lpt_syscall");
        t.checkSysfsValue("lpt_syscall", "stack_order", "3");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks");
        t.checkSysfsValue("lpt_cmdline", "stack_order", "1");
        t.checkSysfsValue("lpt_syscall", "stack_order", "2");
        t.disable("lpt_syscall");
        t.unload("lpt_syscall");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
        t.check("""
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: 'lpt_cmdline': starting patching transition
                livepatch: 'lpt_cmdline': completing patching transition
                livepatch: 'lpt_cmdline': patching complete
                % insmod lpt_callbacks.ko
                livepatch: enabling patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': initializing patching transition
                lpt_callbacks: pre_patch_callback: vmlinux
                livepatch: 'lpt_callbacks': starting patching transition
                livepatch: 'lpt_callbacks': completing patching transition
                lpt_callbacks: post_patch_callback: vmlinux
                livepatch: 'lpt_callbacks': patching complete
                % insmod lpt_syscall.ko
                livepatch: enabling patch 'lpt_syscall'
                livepatch: 'lpt_syscall': initializing patching transition
                livepatch: 'lpt_syscall': starting patching transition
                livepatch: 'lpt_syscall': completing patching transition
                livepatch: 'lpt_syscall': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled
                livepatch: 'lpt_callbacks': initializing unpatching transition
                lpt_callbacks: pre_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks': starting unpatching transition
                livepatch: 'lpt_callbacks': completing unpatching transition
                lpt_callbacks: post_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_callbacks
                % echo 0 > /sys/kernel/livepatch/lpt_syscall/enabled
                livepatch: 'lpt_syscall': initializing unpatching transition
                livepatch: 'lpt_syscall': starting unpatching transition
                livepatch: 'lpt_syscall': completing unpatching transition
                livepatch: 'lpt_syscall': unpatching complete
                % rmmod lpt_syscall
                % echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled
                livepatch: 'lpt_cmdline': initializing unpatching transition
                livepatch: 'lpt_cmdline': starting unpatching transition
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                % rmmod lpt_cmdline
                """);
    }
}
