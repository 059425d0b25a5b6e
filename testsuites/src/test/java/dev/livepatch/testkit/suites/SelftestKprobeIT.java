package dev.livepatch.testkit.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.vm.Guest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own livepatch selftests, test-kprobe.sh: a kprobe with a post handler holds its function's one
 * IPMODIFY ftrace slot, so a livepatch of that function is refused; without one both coexist.
 */
@Tag("selftests")
@LivepatchTest(image = "selftest", reset = LivepatchTest.Reset.WHEN_CHANGED)
class SelftestKprobeIT {
    private static final String NO_KPROBES_ON_FTRACE =
            "this kernel has no kprobe_ftrace_ops: test-kprobe requires CONFIG_KPROBES_ON_FTRACE";

    /**
     * Whether the kernel has {@code kprobe_ftrace_ops}, which the kernel's script greps {@code /proc/kallsyms} for:
     * read from the kernel's build configuration instead, as the guest formats every one of its symbols for a read
     * of that file (seconds under emulation). The symbol is there exactly when kprobes can use ftrace and kallsyms
     * lists data symbols.
     */
    private static boolean hasKprobeFtraceOps(Kernel kernel) {
        try {
            List<String> config = Files.readAllLines(kernel.config());
            return config.contains("CONFIG_KPROBES_ON_FTRACE=y") && config.contains("CONFIG_KALLSYMS_ALL=y");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the configuration of kernel " + kernel.release(), e);
        }
    }

    @Test
    @DisplayName("livepatch interaction with kprobed function with post_handler")
    void kprobeWithPostHandler(Guest guest, Kernel kernel, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "livepatch interaction with kprobed function with post_handler");
        assumeTrue(hasKprobeFtraceOps(kernel), NO_KPROBES_ON_FTRACE);
        t.enableKprobes();
        t.loadModule("lpt_kprobe", "has_post_handler=y");
        t.loadFailingLivepatch("lpt_cmdline", "Device or resource busy");
        t.unload("lpt_kprobe");
        t.check("""
                % insmod lpt_kprobe.ko has_post_handler=y
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: failed to register ftrace handler for function 'cmdline_proc_show' (-16)
                livepatch: failed to patch object 'vmlinux'
                livepatch: failed to enable patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': canceling patching transition, going to unpatch
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                % rmmod lpt_kprobe
                """);
    }

    @Test
    @DisplayName("livepatch interaction with kprobed function without post_handler")
    void kprobeWithoutPostHandler(Guest guest, Kernel kernel, PatchModules modules) {
        Selftest t = Selftest.start(guest, modules, "livepatch interaction with kprobed function without post_handler");
        assumeTrue(hasKprobeFtraceOps(kernel), NO_KPROBES_ON_FTRACE);
        t.enableKprobes();
        t.loadModule("lpt_kprobe", "has_post_handler=n");
        t.loadLivepatch("lpt_cmdline");
        t.unload("lpt_kprobe");
        t.disable("lpt_cmdline");
        t.unload("lpt_cmdline");
        t.check("""
                % insmod lpt_kprobe.ko has_post_handler=n
                % insmod lpt_cmdline.ko
                livepatch: enabling patch 'lpt_cmdline'
                livepatch: 'lpt_cmdline': initializing patching transition
                livepatch: 'lpt_cmdline': starting patching transition
                livepatch: 'lpt_cmdline': completing patching transition
                livepatch: 'lpt_cmdline': patching complete
                % rmmod lpt_kprobe
                % echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled
                livepatch: 'lpt_cmdline': initializing unpatching transition
                livepatch: 'lpt_cmdline': starting unpatching transition
                livepatch: 'lpt_cmdline': completing unpatching transition
                livepatch: 'lpt_cmdline': unpatching complete
                % rmmod lpt_cmdline
                """);
    }
}
