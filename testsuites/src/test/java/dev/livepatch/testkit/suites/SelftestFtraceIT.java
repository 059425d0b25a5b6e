package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.vm.Guest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel's own livepatch selftests, test-ftrace.sh: livepatching with the ftrace_enabled sysctl and the function tracer; the same steps and the same kernel log, with the toolkit's modules. */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestFtraceIT {
    /** What both tracing cases log: the patch applied, the patched /proc/cmdline seen, the patch removed. */
    private static final String PATCHED_WHILE_TRACED = """
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: 'lpt_cmdline': starting patching transition
                livepatch: 'lpt_cmdline': completing patching transition
                livepatch: 'lpt_cmdline': patching complete
                livepatch: ok
                % echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled
                livepatch: 'lpt_cmdline': initializing unpatching transition
                livepatch: 'lpt_cmdline': starting unpatching transition
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                % rmmod lpt_cmdline
                """;

    /**
     * Where {@code kernel.ftrace_enabled=0} still turns ftrace off, a livepatch cannot load without ftrace and ftrace
     * cannot be turned off under a livepatch; where the knob is deprecated, the kernel refuses to turn it off at all.
     * Which one is probed first, as the kernel's script does.
     */
    @Test
    @DisplayName("livepatch interaction with ftrace_enabled sysctl")
    void livepatchInteractionWithFtraceEnabledSysctl(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "livepatch interaction with ftrace_enabled sysctl");
        if (!t.ftraceDisableSupported()) {
            t.ftraceEnabled(0, true);
            t.check("""
                    livepatch: sysctl: setting key "kernel.ftrace_enabled": Operation not supported
                    """);
            return;
        }
        t.ftraceEnabled(0, false);
        t.loadFailingLivepatch("lpt_cmdline", "Device or resource busy");
        t.ftraceEnabled(1, false);
        t.loadLivepatch("lpt_cmdline");
        t.expectContent("/proc/cmdline", "lpt_cmdline: this has been live patched");
        t.ftraceEnabled(0, true);
        t.expectContent("/proc/cmdline", "lpt_cmdline: this has been live patched");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
        t.check("""
                livepatch: kernel.ftrace_enabled = 0
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: failed to register ftrace handler for function 'cmdline_proc_show' (-16)
                livepatch: failed to patch object 'vmlinux'
                livepatch: failed to enable patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': canceling patching transition, going to unpatch
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                livepatch: kernel.ftrace_enabled = 1
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: 'lpt_cmdline': starting patching transition
                livepatch: 'lpt_cmdline': completing patching transition
                livepatch: 'lpt_cmdline': patching complete
                livepatch: sysctl: setting key "kernel.ftrace_enabled": Device or resource busy
                % echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled
                livepatch: 'lpt_cmdline': initializing unpatching transition
                livepatch: 'lpt_cmdline': starting unpatching transition
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                % rmmod lpt_cmdline
                """);
    }

    @Test
    @DisplayName("trace livepatched function and check that the live patch remains in effect")
    void traceLivepatchedFunction(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(
                guest, modules, "trace livepatched function and check that the live patch remains in effect");
        t.loadLivepatch("lpt_cmdline");
        t.traceFunction("lpt_cmdline_proc_show");
        t.expectContent("/proc/cmdline", "lpt_cmdline: this has been live patched");
        t.log("livepatch: ok");
        t.checkTracedFunctions("lpt_cmdline_proc_show");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
        t.check(PATCHED_WHILE_TRACED);
    }

    @Test
    @DisplayName("livepatch a traced function and check that the live patch remains in effect")
    void livepatchATracedFunction(Guest guest, PatchModules modules) {
        Selftest t = Selftest.start(
                guest, modules, "livepatch a traced function and check that the live patch remains in effect");
        t.traceFunction("cmdline_proc_show");
        t.loadLivepatch("lpt_cmdline");
        t.expectContent("/proc/cmdline", "lpt_cmdline: this has been live patched");
        t.log("livepatch: ok");
        t.checkTracedFunctions("cmdline_proc_show");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
        t.check(PATCHED_WHILE_TRACED);
    }
}
