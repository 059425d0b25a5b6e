package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel's own livepatch selftests, test-state.sh: system state modifications carried by cumulative patches; the same steps and the same kernel log, with the toolkit's modules. */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestStateIT {
    @Test
    @DisplayName("system state modification")
    void systemStateModification(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "system state modification");
        t.loadLivepatch("lpt_state");
        t.disable("lpt_state");
        t.unload("lpt_state");
        t.check("""
                % insmod lpt_state.ko
                livepatch: enabling patch 'lpt_state'
                livepatch: 'lpt_state': initializing patching transition
                lpt_state: pre_patch_callback: vmlinux
                lpt_state: allocate_loglevel_state: allocating space to store console_loglevel
                livepatch: 'lpt_state': starting patching transition
                livepatch: 'lpt_state': completing patching transition
                lpt_state: post_patch_callback: vmlinux
                lpt_state: fix_console_loglevel: fixing console_loglevel
                livepatch: 'lpt_state': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_state/enabled
                livepatch: 'lpt_state': initializing unpatching transition
                lpt_state: pre_unpatch_callback: vmlinux
                lpt_state: restore_console_loglevel: restoring console_loglevel
                livepatch: 'lpt_state': starting unpatching transition
                livepatch: 'lpt_state': completing unpatching transition
                lpt_state: post_unpatch_callback: vmlinux
                lpt_state: free_loglevel_state: freeing space for the stored console_loglevel
                livepatch: 'lpt_state': unpatching complete
                % rmmod lpt_state
                """);
    }

    @Test
    @DisplayName("taking over system state modification")
    void takingOverSystemStateModification(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "taking over system state modification");
        t.loadLivepatch("lpt_state");
        t.loadLivepatch("lpt_state2");
        t.unload("lpt_state");
        t.disable("lpt_state2");
        t.unload("lpt_state2");
        t.check("""
                % insmod lpt_state.ko
                livepatch: enabling patch 'lpt_state'
                livepatch: 'lpt_state': initializing patching transition
                lpt_state: pre_patch_callback: vmlinux
                lpt_state: allocate_loglevel_state: allocating space to store console_loglevel
                livepatch: 'lpt_state': starting patching transition
                livepatch: 'lpt_state': completing patching transition
                lpt_state: post_patch_callback: vmlinux
                lpt_state: fix_console_loglevel: fixing console_loglevel
                livepatch: 'lpt_state': patching complete
                % insmod lpt_state2.ko
                livepatch: enabling patch 'lpt_state2'
                livepatch: 'lpt_state2': initializing patching transition
                lpt_state2: pre_patch_callback: vmlinux
                lpt_state2: allocate_loglevel_state: space to store console_loglevel already allocated
                livepatch: 'lpt_state2': starting patching transition
                livepatch: 'lpt_state2': completing patching transition
                lpt_state2: post_patch_callback: vmlinux
                lpt_state2: fix_console_loglevel: taking over the console_loglevel change
                livepatch: 'lpt_state2': patching complete
                % rmmod lpt_state
                % echo 0 > /sys/kernel/livepatch/lpt_state2/enabled
                livepatch: 'lpt_state2': initializing unpatching transition
                lpt_state2: pre_unpatch_callback: vmlinux
                lpt_state2: restore_console_loglevel: restoring console_loglevel
                livepatch: 'lpt_state2': starting unpatching transition
                livepatch: 'lpt_state2': completing unpatching transition
                lpt_state2: post_unpatch_callback: vmlinux
                lpt_state2: free_loglevel_state: freeing space for the stored console_loglevel
                livepatch: 'lpt_state2': unpatching complete
                % rmmod lpt_state2
                """);
    }

    @Test
    @DisplayName("compatible cumulative livepatches")
    void compatibleCumulativeLivepatches(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "compatible cumulative livepatches");
        t.loadLivepatch("lpt_state2");
        t.loadLivepatch("lpt_state3");
        t.unload("lpt_state2");
        t.loadLivepatch("lpt_state2");
        t.disable("lpt_state2");
        t.unload("lpt_state2");
        t.unload("lpt_state3");
        t.check("""
                % insmod lpt_state2.ko
                livepatch: enabling patch 'lpt_state2'
                livepatch: 'lpt_state2': initializing patching transition
                lpt_state2: pre_patch_callback: vmlinux
                lpt_state2: allocate_loglevel_state: allocating space to store console_loglevel
                livepatch: 'lpt_state2': starting patching transition
                livepatch: 'lpt_state2': completing patching transition
                lpt_state2: post_patch_callback: vmlinux
                lpt_state2: fix_console_loglevel: fixing console_loglevel
                livepatch: 'lpt_state2': patching complete
                % insmod lpt_state3.ko
                livepatch: enabling patch 'lpt_state3'
                livepatch: 'lpt_state3': initializing patching transition
                lpt_state3: pre_patch_callback: vmlinux
                lpt_state3: allocate_loglevel_state: space to store console_loglevel already allocated
                livepatch: 'lpt_state3': starting patching transition
                livepatch: 'lpt_state3': completing patching transition
                lpt_state3: post_patch_callback: vmlinux
                lpt_state3: fix_console_loglevel: taking over the console_loglevel change
                livepatch: 'lpt_state3': patching complete
                % rmmod lpt_state2
                % insmod lpt_state2.ko
                livepatch: enabling patch 'lpt_state2'
                livepatch: 'lpt_state2': initializing patching transition
                lpt_state2: pre_patch_callback: vmlinux
                lpt_state2: allocate_loglevel_state: space to store console_loglevel already allocated
                livepatch: 'lpt_state2': starting patching transition
                livepatch: 'lpt_state2': completing patching transition
                lpt_state2: post_patch_callback: vmlinux
                lpt_state2: fix_console_loglevel: taking over the console_loglevel change
                livepatch: 'lpt_state2': patching complete
                % echo 0 > /sys/kernel/livepatch/lpt_state2/enabled
                livepatch: 'lpt_state2': initializing unpatching transition
                lpt_state2: pre_unpatch_callback: vmlinux
                lpt_state2: restore_console_loglevel: restoring console_loglevel
                livepatch: 'lpt_state2': starting unpatching transition
                livepatch: 'lpt_state2': completing unpatching transition
                lpt_state2: post_unpatch_callback: vmlinux
                lpt_state2: free_loglevel_state: freeing space for the stored console_loglevel
                livepatch: 'lpt_state2': unpatching complete
                % rmmod lpt_state2
                % rmmod lpt_state3
                """);
    }

    @Test
    @DisplayName("incompatible cumulative livepatches")
    void incompatibleCumulativeLivepatches(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "incompatible cumulative livepatches");
        t.loadLivepatch("lpt_state2");
        t.loadFailingLivepatch("lpt_state", "Invalid parameters");
        t.disable("lpt_state2");
        t.unload("lpt_state2");
        t.check("""
                % insmod lpt_state2.ko
                livepatch: enabling patch 'lpt_state2'
                livepatch: 'lpt_state2': initializing patching transition
                lpt_state2: pre_patch_callback: vmlinux
                lpt_state2: allocate_loglevel_state: allocating space to store console_loglevel
                livepatch: 'lpt_state2': starting patching transition
                livepatch: 'lpt_state2': completing patching transition
                lpt_state2: post_patch_callback: vmlinux
                lpt_state2: fix_console_loglevel: fixing console_loglevel
                livepatch: 'lpt_state2': patching complete
                % insmod lpt_state.ko
                livepatch: Livepatch patch (lpt_state) is not compatible with the already installed livepatches.
                % echo 0 > /sys/kernel/livepatch/lpt_state2/enabled
                livepatch: 'lpt_state2': initializing unpatching transition
                lpt_state2: pre_unpatch_callback: vmlinux
                lpt_state2: restore_console_loglevel: restoring console_loglevel
                livepatch: 'lpt_state2': starting unpatching transition
                livepatch: 'lpt_state2': completing unpatching transition
                lpt_state2: post_unpatch_callback: vmlinux
                lpt_state2: free_loglevel_state: freeing space for the stored console_loglevel
                livepatch: 'lpt_state2': unpatching complete
                % rmmod lpt_state2
                """);
    }
}
