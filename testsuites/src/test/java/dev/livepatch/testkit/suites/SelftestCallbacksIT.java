package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel's own livepatch selftests, test-callbacks.sh: pre/post (un)patch callbacks and module notifiers; the same steps and the same kernel log, with the toolkit's modules. */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestCallbacksIT {
    @Test
    @DisplayName("target module before livepatch")
    void targetModuleBeforeLivepatch(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "target module before livepatch");
        t.loadModule("lpt_target");
        t.loadLivepatch("lpt_callbacks");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks");
        t.unload("lpt_target");
        t.check("""
                % insmod lpt_target.ko
                lpt_target: lpt_target_init
                % insmod lpt_callbacks.ko
                livepatch: enabling patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': initializing patching transition
                lpt_callbacks: pre_patch_callback: vmlinux
                lpt_callbacks: pre_patch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': starting patching transition
                livepatch: 'lpt_callbacks': completing patching transition
                lpt_callbacks: post_patch_callback: vmlinux
                lpt_callbacks: post_patch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled
                livepatch: 'lpt_callbacks': initializing unpatching transition
                lpt_callbacks: pre_unpatch_callback: vmlinux
                lpt_callbacks: pre_unpatch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': starting unpatching transition
                livepatch: 'lpt_callbacks': completing unpatching transition
                lpt_callbacks: post_unpatch_callback: vmlinux
                lpt_callbacks: post_unpatch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_callbacks
                % rmmod lpt_target
                lpt_target: lpt_target_exit
                """);
    }

    @Test
    @DisplayName("module_coming notifier")
    void moduleComingNotifier(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "module_coming notifier");
        t.loadLivepatch("lpt_callbacks");
        t.loadModule("lpt_target");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks");
        t.unload("lpt_target");
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
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled
                livepatch: 'lpt_callbacks': initializing unpatching transition
                lpt_callbacks: pre_unpatch_callback: vmlinux
                lpt_callbacks: pre_unpatch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': starting unpatching transition
                livepatch: 'lpt_callbacks': completing unpatching transition
                lpt_callbacks: post_unpatch_callback: vmlinux
                lpt_callbacks: post_unpatch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_callbacks
                % rmmod lpt_target
                lpt_target: lpt_target_exit
                """);
    }

    @Test
    @DisplayName("module_going notifier")
    void moduleGoingNotifier(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "module_going notifier");
        t.loadModule("lpt_target");
        t.loadLivepatch("lpt_callbacks");
        t.unload("lpt_target");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks");
        t.check("""
                % insmod lpt_target.ko
                lpt_target: lpt_target_init
                % insmod lpt_callbacks.ko
                livepatch: enabling patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': initializing patching transition
                lpt_callbacks: pre_patch_callback: vmlinux
                lpt_callbacks: pre_patch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': starting patching transition
                livepatch: 'lpt_callbacks': completing patching transition
                lpt_callbacks: post_patch_callback: vmlinux
                lpt_callbacks: post_patch_callback: lpt_target -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': patching complete
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

    @Test
    @DisplayName("module_coming and module_going notifiers")
    void moduleComingAndModuleGoingNotifiers(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "module_coming and module_going notifiers");
        t.loadLivepatch("lpt_callbacks");
        t.loadModule("lpt_target");
        t.unload("lpt_target");
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

    @Test
    @DisplayName("target module not present")
    void targetModuleNotPresent(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "target module not present");
        t.loadLivepatch("lpt_callbacks");
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

    @Test
    @DisplayName("pre-patch callback -ENODEV")
    void prePatchCallbackENODEV(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "pre-patch callback -ENODEV");
        t.loadModule("lpt_target");
        t.loadFailingLivepatch("lpt_callbacks", "No such device", "pre_patch_ret=-19");
        t.unload("lpt_target");
        t.check("""
                % insmod lpt_target.ko
                lpt_target: lpt_target_init
                % insmod lpt_callbacks.ko pre_patch_ret=-19
                livepatch: enabling patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': initializing patching transition
                lpt_callbacks: pre_patch_callback: vmlinux
                livepatch: pre-patch callback failed for object 'vmlinux'
                livepatch: failed to enable patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': canceling patching transition, going to unpatch
                livepatch: 'lpt_callbacks': completing unpatching transition
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_target
                lpt_target: lpt_target_exit
                """);
    }

    @Test
    @DisplayName("module_coming + pre-patch callback -ENODEV")
    void moduleComingPrePatchCallbackENODEV(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "module_coming + pre-patch callback -ENODEV");
        t.loadLivepatch("lpt_callbacks");
        t.setParameter("lpt_callbacks", "pre_patch_ret", "-19");
        t.loadFailingModule("lpt_target", "No such device");
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
                % echo -19 > /sys/module/lpt_callbacks/parameters/pre_patch_ret
                % insmod lpt_target.ko
                livepatch: applying patch 'lpt_callbacks' to loading module 'lpt_target'
                lpt_callbacks: pre_patch_callback: lpt_target -> [MODULE_STATE_COMING] Full formed, running module_init
                livepatch: pre-patch callback failed for object 'lpt_target'
                livepatch: patch 'lpt_callbacks' failed for module 'lpt_target', refusing to load module 'lpt_target'
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

    @Test
    @DisplayName("multiple target modules")
    void multipleTargetModules(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "multiple target modules");
        t.loadModule("lpt_busy", "block_transition=N");
        t.loadLivepatch("lpt_callbacks");
        t.loadModule("lpt_target");
        t.unload("lpt_target");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks");
        t.unload("lpt_busy");
        t.check("""
                % insmod lpt_busy.ko block_transition=N
                lpt_busy: lpt_busy_init
                lpt_busy: lpt_busy_work_func enter
                lpt_busy: lpt_busy_work_func exit
                % insmod lpt_callbacks.ko
                livepatch: enabling patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': initializing patching transition
                lpt_callbacks: pre_patch_callback: vmlinux
                lpt_callbacks: pre_patch_callback: lpt_busy -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': starting patching transition
                livepatch: 'lpt_callbacks': completing patching transition
                lpt_callbacks: post_patch_callback: vmlinux
                lpt_callbacks: post_patch_callback: lpt_busy -> [MODULE_STATE_LIVE] Normal state
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
                lpt_callbacks: pre_unpatch_callback: lpt_busy -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': starting unpatching transition
                livepatch: 'lpt_callbacks': completing unpatching transition
                lpt_callbacks: post_unpatch_callback: vmlinux
                lpt_callbacks: post_unpatch_callback: lpt_busy -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_callbacks
                % rmmod lpt_busy
                lpt_busy: lpt_busy_exit
                """);
    }

    @Test
    @DisplayName("busy target module")
    void busyTargetModule(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "busy target module");
        t.loadModule("lpt_busy", "block_transition=Y");
        t.loadLivepatchNoWait("lpt_callbacks");
        t.awaitInTransition("lpt_callbacks");
        t.loadModule("lpt_target");
        t.unload("lpt_target");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks");
        t.unload("lpt_busy");
        t.check("""
                % insmod lpt_busy.ko block_transition=Y
                lpt_busy: lpt_busy_init
                lpt_busy: lpt_busy_work_func enter
                % insmod lpt_callbacks.ko
                livepatch: enabling patch 'lpt_callbacks'
                livepatch: 'lpt_callbacks': initializing patching transition
                lpt_callbacks: pre_patch_callback: vmlinux
                lpt_callbacks: pre_patch_callback: lpt_busy -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': starting patching transition
                % insmod lpt_target.ko
                livepatch: applying patch 'lpt_callbacks' to loading module 'lpt_target'
                lpt_callbacks: pre_patch_callback: lpt_target -> [MODULE_STATE_COMING] Full formed, running module_init
                lpt_target: lpt_target_init
                % rmmod lpt_target
                lpt_target: lpt_target_exit
                livepatch: reverting patch 'lpt_callbacks' on unloading module 'lpt_target'
                lpt_callbacks: post_unpatch_callback: lpt_target -> [MODULE_STATE_GOING] Going away
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled
                livepatch: 'lpt_callbacks': reversing transition from patching to unpatching
                livepatch: 'lpt_callbacks': starting unpatching transition
                livepatch: 'lpt_callbacks': completing unpatching transition
                lpt_callbacks: post_unpatch_callback: vmlinux
                lpt_callbacks: post_unpatch_callback: lpt_busy -> [MODULE_STATE_LIVE] Normal state
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_callbacks
                % rmmod lpt_busy
                lpt_busy: lpt_busy_work_func exit
                lpt_busy: lpt_busy_exit
                """);
    }

    @Test
    @DisplayName("multiple livepatches")
    void multipleLivepatches(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "multiple livepatches");
        t.loadLivepatch("lpt_callbacks");
        t.loadLivepatch("lpt_callbacks2");
        t.disable("lpt_callbacks2");
        t.disable("lpt_callbacks");
        t.unload("lpt_callbacks2");
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
                % insmod lpt_callbacks2.ko
                livepatch: enabling patch 'lpt_callbacks2'
                livepatch: 'lpt_callbacks2': initializing patching transition
                lpt_callbacks2: pre_patch_callback: vmlinux
                livepatch: 'lpt_callbacks2': starting patching transition
                livepatch: 'lpt_callbacks2': completing patching transition
                lpt_callbacks2: post_patch_callback: vmlinux
                livepatch: 'lpt_callbacks2': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks2/enabled
                livepatch: 'lpt_callbacks2': initializing unpatching transition
                lpt_callbacks2: pre_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks2': starting unpatching transition
                livepatch: 'lpt_callbacks2': completing unpatching transition
                lpt_callbacks2: post_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks2': unpatching complete
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled
                livepatch: 'lpt_callbacks': initializing unpatching transition
                lpt_callbacks: pre_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks': starting unpatching transition
                livepatch: 'lpt_callbacks': completing unpatching transition
                lpt_callbacks: post_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks': unpatching complete
                % rmmod lpt_callbacks2
                % rmmod lpt_callbacks
                """);
    }

    @Test
    @DisplayName("atomic replace")
    void atomicReplace(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "atomic replace");
        t.loadLivepatch("lpt_callbacks");
        t.loadLivepatch("lpt_callbacks2", "replace=1");
        t.disable("lpt_callbacks2");
        t.unload("lpt_callbacks2");
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
                % insmod lpt_callbacks2.ko replace=1
                livepatch: enabling patch 'lpt_callbacks2'
                livepatch: 'lpt_callbacks2': initializing patching transition
                lpt_callbacks2: pre_patch_callback: vmlinux
                livepatch: 'lpt_callbacks2': starting patching transition
                livepatch: 'lpt_callbacks2': completing patching transition
                lpt_callbacks2: post_patch_callback: vmlinux
                livepatch: 'lpt_callbacks2': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_callbacks2/enabled
                livepatch: 'lpt_callbacks2': initializing unpatching transition
                lpt_callbacks2: pre_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks2': starting unpatching transition
                livepatch: 'lpt_callbacks2': completing unpatching transition
                lpt_callbacks2: post_unpatch_callback: vmlinux
                livepatch: 'lpt_callbacks2': unpatching complete
                % rmmod lpt_callbacks2
                % rmmod lpt_callbacks
                """);
    }
}
