package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.LivepatchException;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cases distributions test that the kernel's own selftests do not: patches loaded, replaced and disabled in quick
 * succession; a kretprobe on a patched function; the function graph tracer on a patched function's callers, and
 * switched on and off while a transition is held up. Each asserts what the kernel promises, and is skipped with the
 * reason on a kernel that lacks what it tests.
 */
@Tag("field")
@LivepatchTest
class FieldIT {
    private static final String TRACING = "/sys/kernel/tracing";
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration HELD_UP = Duration.ofSeconds(2);
    private static final Duration TRACER_SWITCH = Duration.ofMinutes(3);
    private static final String CMDLINE_PATCHED = "lpt_cmdline: this has been live patched";
    private static final String PROBE = "lpt_field_ret";

    /**
     * What fifty cycles may leave of the guest's available memory, once caches are dropped: the slab and page
     * allocators keep some freed memory in their per-CPU lists, a leak of a module or a patch per cycle shows far
     * above it.
     */
    private static final long MEMORY_TOLERANCE_KB = 4096;

    private Livepatches livepatches;
    private PatchModules modules;
    private GuestShell shell;
    private List<String> troubleAtStart;

    @BeforeEach
    void connect(Livepatches livepatches, PatchModules modules, GuestShell shell) {
        this.livepatches = livepatches;
        this.modules = modules;
        this.shell = shell;
        this.troubleAtStart = livepatches.kernelLog().troubleLines();
    }

    private Path ko(String module) {
        return modules.build(module).ko();
    }

    private String run(String command) {
        ExecResult result = shell.exec(command, COMMAND);
        assertThat(result.succeeded())
                .as("%s: %s%s", command, result.stdout(), result.stderr())
                .isTrue();
        return result.stdout();
    }

    private boolean guestHas(String file) {
        return shell.exec("test -e " + file, COMMAND).succeeded();
    }

    private long memAvailableKb() {
        run("sync && echo 3 > /proc/sys/vm/drop_caches");
        return livepatches
                .read("/proc/meminfo")
                .lines()
                .filter(line -> line.startsWith("MemAvailable:"))
                .map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow();
    }

    /** The kernel log has no line of trouble (a warning, an oops, a lockdep report...) it did not have at the start. */
    private void assertNoNewTrouble() {
        KernelLog log = livepatches.kernelLog();
        assertThat(log.troubleLines())
                .as("trouble in the kernel log:%n%s", log.text())
                .isEqualTo(troubleAtStart);
    }

    /** lpt_cmdline, then lpt_meminfo replacing it, then lpt_meminfo disabled: both modules removed. */
    private void loadReplaceDisable(Path cmdline, Path meminfo) {
        Patch first = livepatches.load(cmdline, Map.of("replace", "1"));
        first.awaitTransition();
        Patch second = livepatches.load(meminfo, Map.of("replace", "1"));
        second.awaitTransition();
        livepatches.awaitRefcount("lpt_cmdline", 0, COMMAND);
        livepatches.unloadModule("lpt_cmdline");
        second.disable();
        second.awaitTransition();
        second.unload();
    }

    @Test
    void fiftyQuickCyclesOfLoadReplaceAndDisableLeaveNothingBehind() {
        Path cmdline = ko("lpt_cmdline");
        Path meminfo = ko("lpt_meminfo");
        loadReplaceDisable(cmdline, meminfo);
        long before = memAvailableKb();

        for (int cycle = 0; cycle < 50; cycle++) {
            loadReplaceDisable(cmdline, meminfo);
        }

        assertThat(livepatches.patches()).isEmpty();
        assertThat(run("ls /sys/kernel/livepatch").strip()).isEmpty();
        assertThat(run("cat /proc/modules")).doesNotContain("lpt_cmdline").doesNotContain("lpt_meminfo");
        assertThat(livepatches.read("/proc/cmdline")).doesNotContain(CMDLINE_PATCHED);
        assertThat(livepatches.read("/proc/meminfo")).startsWith("MemTotal:");
        assertNoNewTrouble();
        assertThat(memAvailableKb())
                .as("MemAvailable after 50 cycles, against %d kB before (tolerance %d kB)", before, MEMORY_TOLERANCE_KB)
                .isGreaterThanOrEqualTo(before - MEMORY_TOLERANCE_KB);
    }

    /** The hits of the kretprobe on cmdline_proc_show, from {@code kprobe_profile}. */
    private long probeHits() {
        return run("cat " + TRACING + "/kprobe_profile")
                .lines()
                .map(String::trim)
                .filter(line -> line.startsWith(PROBE + " "))
                .map(line -> line.split("\\s+")[1])
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow(() -> new AssertionError(PROBE + " is not in kprobe_profile"));
    }

    private void addKretprobe() {
        run("echo 'r:" + PROBE + " cmdline_proc_show' >> " + TRACING + "/kprobe_events && echo 1 > " + TRACING
                + "/events/kprobes/" + PROBE + "/enable");
    }

    private void removeKretprobe() {
        run("echo 0 > " + TRACING + "/events/kprobes/" + PROBE + "/enable && echo '-:" + PROBE + "' >> " + TRACING
                + "/kprobe_events");
    }

    /** Reads /proc/cmdline: its text is the patch's (or not), and the kretprobe on cmdline_proc_show fired once. */
    private void assertProbeAndPatch(boolean patched) {
        long hits = probeHits();
        String cmdline = livepatches.read("/proc/cmdline");
        assertThat(cmdline.startsWith(CMDLINE_PATCHED))
                .as("/proc/cmdline reads: %s", cmdline)
                .isEqualTo(patched);
        assertThat(probeHits()).as("the kretprobe's hits").isEqualTo(hits + 1);
    }

    @Test
    void aKretprobeAndThePatchBothStayInEffectInEitherOrder() {
        assumeTrue(guestHas(TRACING + "/kprobe_events"), "this kernel has no kprobe events (CONFIG_KPROBE_EVENTS)");
        Path cmdline = ko("lpt_cmdline");

        addKretprobe();
        Patch patch = livepatches.load(cmdline);
        patch.awaitTransition();
        assertProbeAndPatch(true);
        patch.disable();
        patch.awaitTransition();
        assertProbeAndPatch(false);
        patch.unload();
        removeKretprobe();

        patch = livepatches.load(cmdline);
        patch.awaitTransition();
        addKretprobe();
        assertProbeAndPatch(true);
        removeKretprobe();
        assertThat(livepatches.read("/proc/cmdline")).startsWith(CMDLINE_PATCHED);
        patch.disable();
        patch.awaitTransition();
        assertNoNewTrouble();
    }

    private void assumeGraphTracer() {
        assumeTrue(
                guestHas(TRACING + "/available_tracers")
                        && livepatches.read(TRACING + "/available_tracers").contains("function_graph"),
                "this kernel has no function graph tracer (CONFIG_FUNCTION_GRAPH_TRACER)");
    }

    /**
     * Switches the tracer: the whole kernel's call sites are rewritten, which takes seconds under emulation and tens of
     * seconds on a busy host.
     */
    private void switchTracer(String tracer) {
        ExecResult result = shell.exec("echo " + tracer + " > " + TRACING + "/current_tracer", TRACER_SWITCH);
        assertThat(result.succeeded())
                .as("switching to %s: %s", tracer, result.stderr())
                .isTrue();
    }

    private String graphTrace() {
        return run("cat " + TRACING + "/trace");
    }

    @Test
    void callersTracedByTheFunctionGraphTracerCallTheNewFunctionAndBackThroughPatchingAndUnpatching() {
        assumeGraphTracer();
        Path cmdline = ko("lpt_cmdline");
        run("echo seq_read_iter > " + TRACING + "/set_graph_function");
        switchTracer("function_graph");
        run("echo 1 > " + TRACING + "/tracing_on");
        try {
            Patch patch = livepatches.load(cmdline);
            patch.awaitTransition();
            run("echo > " + TRACING + "/trace");
            assertThat(livepatches.read("/proc/cmdline")).startsWith(CMDLINE_PATCHED);
            assertThat(graphTrace()).as("the graph of seq_read_iter, patched").contains("lpt_cmdline_proc_show");

            patch.disable();
            patch.awaitTransition();
            run("echo > " + TRACING + "/trace");
            assertThat(livepatches.read("/proc/cmdline")).doesNotContain(CMDLINE_PATCHED);
            assertThat(graphTrace())
                    .as("the graph of seq_read_iter, unpatched")
                    .contains("cmdline_proc_show")
                    .doesNotContain("lpt_cmdline_proc_show");
            patch.unload();
        } finally {
            run("echo 0 > " + TRACING + "/tracing_on");
            switchTracer("nop");
            run("echo > " + TRACING + "/set_graph_function");
        }
        assertNoNewTrouble();
    }

    @Test
    void graphTracingSwitchedOnAndOffWhileATransitionIsHeldUpLetsItFinish() {
        assumeGraphTracer();
        livepatches.loadModule(ko("lpt_busy"), Map.of("block_transition", "1"));
        Patch patch = livepatches.load(ko("lpt_callbacks"));
        assertThatThrownBy(() -> patch.awaitTransition(HELD_UP))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("lpt_busy_work_func");

        for (int round = 0; round < 3; round++) {
            switchTracer("function_graph");
            run("echo 1 > " + TRACING + "/tracing_on && cat /proc/meminfo > /dev/null");
            switchTracer("nop");
        }
        assertThat(patch).isPresent().isInTransition();
        livepatches.setModuleParameter("lpt_busy", "block_transition", "0");
        patch.awaitTransition();

        assertThat(patch).isPresent().isEnabled().isNotInTransition();
        assertNoNewTrouble();
    }
}
