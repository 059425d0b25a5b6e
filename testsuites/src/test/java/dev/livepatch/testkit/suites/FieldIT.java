package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.KernelMessage;
import dev.livepatch.testkit.livepatch.LivepatchException;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.PatchState;
import dev.livepatch.testkit.livepatch.PatchedObject;
import dev.livepatch.testkit.livepatch.TransitionTimeoutException;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.stall.Ending;
import dev.livepatch.testkit.stall.ModuleLoad;
import dev.livepatch.testkit.stall.StallExplanation;
import dev.livepatch.testkit.stall.StallReport;
import dev.livepatch.testkit.stall.StallScenario;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * The cases distributions test that the kernel's own selftests do not: patches loaded, replaced and disabled in quick
 * succession; a transition under memory pressure; a task asleep in a page fault holding a transition; a kretprobe on
 * a patched function; the function graph tracer on a patched function's callers, and switched on and off while a
 * transition is held up. Each asserts what the kernel promises, and is skipped with the reason on a kernel that lacks
 * what it tests.
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
    private static final Duration POLL = Duration.ofMillis(200);

    /** Touching more memory than the guest has once, under emulation, part of it through swap. */
    private static final Duration PRESSURE_START = Duration.ofMinutes(2);
    /** A transition under pressure: each command and each of the kernel's retries waits on reclaim. */
    private static final Duration UNDER_PRESSURE = Duration.ofMinutes(2);

    private static final String FAULT_FIFO = "/tmp/lpt-uffd.fifo";
    private static final String FAULT_OUTPUT = "/tmp/lpt-uffd.out";
    private static final Duration FAULT_START = Duration.ofSeconds(30);
    private static final Pattern FAULTING_PID = Pattern.compile("pid (\\d+) waits");

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
        return run(command, COMMAND);
    }

    /**
     * A command while the function graph tracer is on: every function the guest runs goes through it, so under
     * emulation a command takes as long as a tracer switch.
     */
    private String runTraced(String command) {
        return run(command, TRACER_SWITCH);
    }

    private String run(String command, Duration timeout) {
        ExecResult result = shell.exec(command, timeout);
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
        return meminfoKb("MemAvailable:");
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

    /** Started in its own session with no terminal, so it outlives the SSH command that starts it. */
    private void startInBackground(String command, String output) {
        run("setsid " + command + " < /dev/null > " + output + " 2>&1 &");
    }

    private long meminfoKb(String field) {
        return livepatches
                .read("/proc/meminfo")
                .lines()
                .filter(line -> line.startsWith(field))
                .map(line -> line.replaceAll("\\D", ""))
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow(() -> new AssertionError("/proc/meminfo has no " + field));
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

    /**
     * The kernel's reclaim counters from {@code /proc/vmstat}.
     *
     * @param scanned pages reclaim scanned, by kswapd and by allocations reclaiming themselves ({@code pgscan_kswapd},
     *     {@code pgscan_direct})
     * @param swappedOut pages written to swap ({@code pswpout})
     * @param directStalls allocations that reclaimed themselves ({@code allocstall_*}, every zone)
     * @param oomKills tasks the OOM killer killed ({@code oom_kill})
     */
    record Reclaim(long scanned, long swappedOut, long directStalls, long oomKills) {
        static Reclaim of(String vmstat) {
            Map<String, Long> counters = new HashMap<>();
            vmstat.lines()
                    .map(line -> line.split(" "))
                    .filter(words -> words.length == 2)
                    .forEach(words -> counters.merge(
                            words[0].startsWith("allocstall_") ? "allocstall" : words[0],
                            Long.parseLong(words[1]),
                            Long::sum));
            return new Reclaim(
                    counters.getOrDefault("pgscan_kswapd", 0L) + counters.getOrDefault("pgscan_direct", 0L),
                    counters.getOrDefault("pswpout", 0L),
                    counters.getOrDefault("allocstall", 0L),
                    counters.getOrDefault("oom_kill", 0L));
        }

        Reclaim since(Reclaim before) {
            return new Reclaim(
                    scanned - before.scanned,
                    swappedOut - before.swappedOut,
                    directStalls - before.directStalls,
                    oomKills - before.oomKills);
        }
    }

    private Reclaim reclaim() {
        return Reclaim.of(livepatches.read("/proc/vmstat"));
    }

    /** How much lpt-pressure took, once it has touched all of it. */
    private long awaitPressure() {
        return Deadline.after(PRESSURE_START)
                .poll(
                        "lpt-pressure to have touched its memory ('ready N kB' in /tmp/lpt-pressure.out)",
                        POLL,
                        () -> livepatches
                                .read("/tmp/lpt-pressure.out")
                                .lines()
                                .filter(line -> line.startsWith("ready "))
                                .map(line -> Long.parseLong(line.replaceAll("\\D", "")))
                                .findFirst(),
                        () -> livepatches.read("/tmp/lpt-pressure.out") + livepatches.read("/proc/meminfo"));
    }

    /**
     * The guest has no swap and no file-backed page cache (its root is in memory), so nothing it holds could be
     * reclaimed: the kernel's zram module gives it swap. lpt-pressure then takes an eighth more than MemTotal and
     * keeps touching all of it, so reclaim swaps out and faults back in all along.
     */
    @Test
    void aTransitionUnderMemoryPressureWithReclaimRunningCompletes(Kernel kernel, TestReporter reporter) {
        Optional<ZramSwap> zram = ZramSwap.of(kernel);
        assumeTrue(zram.isPresent(), "this kernel has no zram module (CONFIG_ZRAM) to swap to");
        String pressure = GuestProgram.install("lpt-pressure", kernel, shell);
        Path cmdline = ko("lpt_cmdline");
        long total = meminfoKb("MemTotal:");
        zram.get().start(shell, total / 2);
        startInBackground(pressure + " " + (total + total / 8), "/tmp/lpt-pressure.out");
        try {
            long taken = awaitPressure();
            assertThat(taken).as("the memory lpt-pressure holds").isGreaterThan(total);
            Reclaim before = reclaim();

            Patch patch = livepatches.load(cmdline);
            patch.awaitTransition(UNDER_PRESSURE);
            assertThat(livepatches.read("/proc/cmdline")).startsWith(CMDLINE_PATCHED);
            patch.disable();
            patch.awaitTransition(UNDER_PRESSURE);
            patch.unload();

            Reclaim during = reclaim().since(before);
            reporter.publishEntry("reclaim while the patch came and went under pressure", during.toString());
            assertThat(during.scanned())
                    .as("pages reclaim scanned meanwhile: %s", during)
                    .isPositive();
            assertThat(during.swappedOut())
                    .as("pages swapped out meanwhile: %s", during)
                    .isPositive();
            assertThat(during.oomKills()).as("OOM kills meanwhile: %s", during).isZero();
            assertThat(shell.exec("kill -0 $(pidof lpt-pressure)", COMMAND).succeeded())
                    .as("lpt-pressure still holds its memory")
                    .isTrue();
        } finally {
            // Gone before swapoff, which would otherwise fault its swapped-out pages back in.
            shell.exec("kill $(pidof lpt-pressure); while pidof lpt-pressure > /dev/null; do sleep 1; done", COMMAND);
            ZramSwap.stop(shell);
        }
        assertThat(livepatches.patches()).isEmpty();
        assertThat(livepatches.read("/proc/cmdline")).doesNotContain(CMDLINE_PATCHED);
        KernelLog log = livepatches.kernelLog();
        reporter.publishEntry(
                "allocation failures the kernel reported under pressure",
                String.valueOf(log.lines().stream()
                        .filter(line -> line.contains("page allocation failure:"))
                        .count()));
        assertThat(withoutAllocationFailures(log).troubleLines())
                .as("trouble in the kernel log besides reports of failed allocations:%n%s", log.text())
                .isEqualTo(troubleAtStart);
    }

    /**
     * The log without the kernel's reports of allocations that failed, each from its {@code page allocation failure}
     * line to the {@code Mem-Info:} that follows its stack. Under heavy pressure an allocation that may not dip into
     * the reserves can fail, and the kernel reports it with a call trace while its caller copes: the swap allocator of
     * 7.2 and 7.3 ({@code swap_cluster_alloc_table}) does so for a swap table page it wants in direct reclaim.
     */
    private static KernelLog withoutAllocationFailures(KernelLog log) {
        List<KernelMessage> kept = new ArrayList<>();
        boolean inReport = false;
        for (KernelMessage message : log.messages()) {
            inReport |= message.text().contains("page allocation failure:");
            if (!inReport) {
                kept.add(message);
            }
            inReport &= !message.text().startsWith("Mem-Info:");
        }
        return new KernelLog(kept);
    }

    /** The pid of lpt-uffd, once its main thread sleeps in handle_userfault. */
    private int awaitFault() {
        return Deadline.after(FAULT_START)
                .poll(
                        "lpt-uffd's main thread to sleep in handle_userfault",
                        POLL,
                        () -> {
                            Matcher pid = FAULTING_PID.matcher(livepatches.read(FAULT_OUTPUT));
                            return pid.find()
                                            && shell.exec(
                                                            "grep -q handle_userfault /proc/" + pid.group(1) + "/stack",
                                                            COMMAND)
                                                    .succeeded()
                                    ? Optional.of(Integer.parseInt(pid.group(1)))
                                    : Optional.empty();
                        },
                        () -> livepatches.read(FAULT_OUTPUT));
    }

    /** What {@code ./testkit stall} would print for the transition held up now. */
    private String explain(
            List<ModuleLoad> before,
            List<String> workloads,
            BuiltModule module,
            Patch patch,
            TransitionTimeoutException stalled) {
        StallScenario scenario = new StallScenario(
                before, workloads, new ModuleLoad(module.module(), Map.of()), stalled.limit(), Ending.REVERSE);
        StallReport report = new StallReport(
                scenario,
                Optional.empty(),
                stalled.blockers(),
                patch.state().map(PatchState::objects).orElse(List.of()),
                Optional.empty(),
                livepatches.kernelLog(),
                livepatches.sysfsDump(),
                livepatches.taint(),
                livepatches.transitions());
        return StallExplanation.of(report);
    }

    /**
     * lpt-uffd asks getcpu to write into a userfaultfd page no one serves: the kernel's put_user faults and the task
     * sleeps in handle_userfault, under getcpu's frame, which lpt_getcpu patches. The kernel sends tasks that hold a
     * transition a fake signal every 15 retries (about 15 s), which ends such a fault with EFAULT: the page is served
     * before that, and lpt-uffd's getcpu must return 0, proving the served page, not the signal, let it go. The kernel
     * says why the task blocks: on x86's ORC, that it sleeps on the patched function; elsewhere the fault's exception
     * frame, taken in kernel mode, stops the reliable unwinder first.
     */
    @Test
    void aTaskAsleepInAPageFaultHoldsTheTransitionUntilThePageIsServed(Kernel kernel, TestReporter reporter) {
        String uffd = GuestProgram.install("lpt-uffd", kernel, shell);
        ExecResult probe = shell.exec(uffd + " probe", COMMAND);
        assumeTrue(
                probe.succeeded(),
                "this kernel has no userfaultfd (CONFIG_USERFAULTFD): "
                        + probe.stdout().strip());
        BuiltModule module = modules.build("lpt_getcpu");
        startInBackground(uffd + " " + FAULT_FIFO, FAULT_OUTPUT);
        int pid = awaitFault();
        livepatches.traceTaskSwitching(true);

        Patch patch = livepatches.load(module.ko());
        TransitionTimeoutException stalled =
                catchThrowableOfType(TransitionTimeoutException.class, () -> patch.awaitTransition(HELD_UP));
        assertThat(stalled).as("the transition while the fault is unserved").isNotNull();
        String patched = patch.state().map(PatchState::objects).orElse(List.of()).stream()
                .map(PatchedObject::functions)
                .flatMap(List::stream)
                .findFirst()
                .orElseThrow()
                .name();
        String explanation = explain(List.of(), List.of("lpt-uffd " + FAULT_FIFO), module, patch, stalled);
        reporter.publishEntry("stall explanation while the fault is unserved", explanation);
        assertThat(explanation)
                .as("the stall explanation")
                .contains("lpt-uffd (pid " + pid + ", patch_state ")
                .contains(
                        orcUnwinder(kernel)
                                ? "is sleeping on function " + patched
                                // The fault is an exception taken in kernel mode: other unwinders stop at its frame.
                                : "has an unreliable stack")
                .containsPattern("(?m)^ {4}\\s*\\d+  handle_userfault\\+")
                .containsPattern("(?m)^ {4}\\s*\\d+  handle_mm_fault\\+");
        if (Pattern.compile("(?m)^ {3}[ >]\\s*\\d+  " + Pattern.quote(patched) + "\\+")
                .matcher(explanation)
                .find()) {
            assertThat(explanation)
                    .as("the stall explanation")
                    .containsPattern("(?m)^ {3}>\\s*\\d+  " + Pattern.quote(patched)
                            + "\\+\\S+ {3}<- lpt_getcpu changes this function$");
        } else {
            // The patched system call wrapper tail-called the call's body (s390x's __s390x_sys_getcpu jumps to
            // __do_sys_getcpu): only the body is on the stack, below the fault's exception frame, and nothing to mark.
            assertThat(explanation)
                    .as("the stall explanation, the patched %s not on the stack", patched)
                    .containsPattern("(?m)^ {4}\\s*\\d+  __do_sys_getcpu\\S*\\+")
                    .doesNotContain("<- lpt_getcpu changes this function");
        }
        assertThat(patch).isPresent().isInTransition();
        assertThat(livepatches.read(FAULT_OUTPUT)).contains("fault at ").doesNotContain("getcpu returned");

        run("echo serve > " + FAULT_FIFO);
        patch.awaitTransition();
        String served = Deadline.after(FAULT_START)
                .poll(
                        "lpt-uffd's getcpu to return",
                        POLL,
                        () -> Optional.of(livepatches.read(FAULT_OUTPUT))
                                .filter(output -> output.contains("getcpu returned")),
                        () -> livepatches.read(FAULT_OUTPUT));
        assertThat(served).contains("served").contains("getcpu returned 0 (ok)");
        assertThat(patch).isPresent().isEnabled().isNotInTransition();

        patch.disable();
        patch.awaitTransition();
        patch.unload();
        assertNoNewTrouble();
    }

    /**
     * A kernel thread preempted in kernel code has an interrupt frame on its stack. Of the unwinders livepatch relies
     * on, only x86's ORC walks through such a frame reliably; arm64's gives up at every exception boundary, as
     * powerpc's, s390's and x86's with frame pointers do at an interrupt frame, and the kernel then cannot tell whether
     * a patched function is below it: the transition waits, saying the task "has an unreliable stack". lpt_spin's
     * thread spins preemptibly and never sleeps, so it is preempted whenever the kernel looks; told to stop, it sleeps
     * of its own accord (a reliable stack) and switches. It must stop before the patch is disabled: removing the
     * patch's ftrace handler waits for every preempted task to schedule of its own accord (RCU Tasks). On loongarch
     * the transition waits too, for another task: its ORC unwinder walks lpt_spin's stack, but not the boot CPU's idle
     * task's, which switches itself only when its CPU goes idle, and the spinning thread keeps it busy.
     */
    @Test
    void aKernelThreadPreemptedInKernelCodeHoldsTheTransitionWhereItsStackIsUnreliable(
            Kernel kernel, TestReporter reporter) {
        BuiltModule spinner = modules.build("lpt_spin");
        try {
            livepatches.loadModule(spinner.ko(), Map.of());
        } catch (LivepatchException e) {
            assumeFalse(
                    e.getMessage().contains("Operation not supported"),
                    "this kernel does not preempt kernel code (a spinning thread would hold its CPU): "
                            + e.getMessage());
            throw e;
        }
        int pid = spinnerPid();
        boolean reliableThroughInterrupts = orcUnwinder(kernel);
        livepatches.traceTaskSwitching(true);

        BuiltModule module = modules.build("lpt_cmdline");
        Patch patch = livepatches.load(module.ko());
        if (reliableThroughInterrupts) {
            patch.awaitTransition(UNDER_PRESSURE);
        } else {
            TransitionTimeoutException stalled =
                    catchThrowableOfType(TransitionTimeoutException.class, () -> patch.awaitTransition(HELD_UP));
            assertThat(stalled)
                    .as(
                            "the transition while lpt_spin spins on %s, whose unwinder stops at interrupt frames",
                            kernel.arch())
                    .isNotNull();
            String explanation =
                    explain(List.of(new ModuleLoad(spinner.module(), Map.of())), List.of(), module, patch, stalled);
            reporter.publishEntry("stall explanation while lpt_spin spins", explanation);
            if (kernel.arch().equals(Arch.LOONGARCH64)) {
                assertThat(explanation)
                        .as("the stall explanation")
                        .contains("swapper/0 (pid 0, patch_state 0): has an unreliable stack")
                        .contains("An idle task")
                        .doesNotContain("lpt_spin (pid " + pid);
            } else {
                assertThat(explanation)
                        .as("the stall explanation")
                        .contains("lpt_spin (pid " + pid + ", patch_state 0): has an unreliable stack")
                        .contains("The kernel could not walk its stack reliably");
            }
            assertThat(patch).isPresent().isInTransition();
        }
        run("echo 0 > /sys/module/lpt_spin/parameters/spin");
        patch.awaitTransition(UNDER_PRESSURE);
        assertThat(patch).isPresent().isEnabled().isNotInTransition();
        assertThat(run("cat /proc/cmdline")).contains(CMDLINE_PATCHED);

        patch.disable();
        patch.awaitTransition();
        patch.unload();
        livepatches.unloadModule("lpt_spin");
        assertNoNewTrouble();
    }

    /** lpt_spin's thread, from the line its module logs when it starts it. */
    private int spinnerPid() {
        Matcher pid = Pattern.compile("lpt_spin: lpt_spin_init: spinning in pid (\\d+)")
                .matcher(livepatches.kernelLog().text());
        assertThat(pid.find()).as("lpt_spin's start line in the kernel log").isTrue();
        return Integer.parseInt(pid.group(1));
    }

    /** Whether the kernel unwinds with x86's ORC, the one reliable unwinder that walks through interrupt frames. */
    private static boolean orcUnwinder(Kernel kernel) {
        try {
            return kernel.arch().equals(Arch.X86_64)
                    && Files.readAllLines(kernel.config()).contains("CONFIG_UNWINDER_ORC=y");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the configuration of kernel " + kernel.release(), e);
        }
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

    /**
     * Reads /proc/cmdline: its text is the patch's (or not), and the kretprobe on cmdline_proc_show fired once. On
     * {@code when}, the order in which the kretprobe and the patch came. Soft: a failure in one order still shows
     * whether the other holds, which tells an order-dependent handler apart from one that never runs.
     */
    private void assertProbeAndPatch(SoftAssertions softly, boolean patched, String when) {
        long hits = probeHits();
        String cmdline = livepatches.read("/proc/cmdline");
        softly.assertThat(cmdline.startsWith(CMDLINE_PATCHED))
                .as("whether the patch is in effect %s: /proc/cmdline reads %s", when, cmdline.strip())
                .isEqualTo(patched);
        softly.assertThat(probeHits()).as("the kretprobe's hits %s", when).isEqualTo(hits + 1);
    }

    @Test
    void aKretprobeAndThePatchBothStayInEffectInEitherOrder() {
        assumeTrue(guestHas(TRACING + "/kprobe_events"), "this kernel has no kprobe events (CONFIG_KPROBE_EVENTS)");
        Path cmdline = ko("lpt_cmdline");
        SoftAssertions softly = new SoftAssertions();

        addKretprobe();
        Patch patch = livepatches.load(cmdline);
        patch.awaitTransition();
        assertProbeAndPatch(softly, true, "with the kretprobe registered before it");
        patch.disable();
        patch.awaitTransition();
        assertProbeAndPatch(softly, false, "once disabled under the kretprobe");
        patch.unload();
        removeKretprobe();

        patch = livepatches.load(cmdline);
        patch.awaitTransition();
        addKretprobe();
        assertProbeAndPatch(softly, true, "with the kretprobe registered after it");
        removeKretprobe();
        softly.assertThat(livepatches.read("/proc/cmdline"))
                .as("/proc/cmdline once the kretprobe is gone")
                .startsWith(CMDLINE_PATCHED);
        patch.disable();
        patch.awaitTransition();
        softly.assertAll();
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
        return runTraced("cat " + TRACING + "/trace");
    }

    /**
     * Reads /proc/cmdline with only that read in the trace: the trace is cleared just before it and tracing stopped
     * just after, in the same command. Reading the trace file is a {@code seq_read_iter} too: with tracing on, the
     * reader's own graph fills the ring buffer, and on a slow emulated guest overwrites the read it was to show.
     */
    private String readCmdlineTraced() {
        return runTraced("echo > " + TRACING + "/trace; cat /proc/cmdline; echo 0 > " + TRACING + "/tracing_on");
    }

    @Test
    void callersTracedByTheFunctionGraphTracerCallTheNewFunctionAndBackThroughPatchingAndUnpatching() {
        assumeGraphTracer();
        Path cmdline = ko("lpt_cmdline");
        run("echo seq_read_iter > " + TRACING + "/set_graph_function");
        switchTracer("function_graph");
        runTraced("echo 1 > " + TRACING + "/tracing_on");
        try {
            Patch patch = livepatches.load(cmdline);
            patch.awaitTransition();
            assertThat(readCmdlineTraced()).startsWith(CMDLINE_PATCHED);
            assertThat(graphTrace()).as("the graph of seq_read_iter, patched").contains("lpt_cmdline_proc_show");

            runTraced("echo 1 > " + TRACING + "/tracing_on");
            patch.disable();
            patch.awaitTransition();
            assertThat(readCmdlineTraced()).doesNotContain(CMDLINE_PATCHED);
            assertThat(graphTrace())
                    .as("the graph of seq_read_iter, unpatched")
                    .contains("cmdline_proc_show")
                    .doesNotContain("lpt_cmdline_proc_show");
            patch.unload();
        } finally {
            runTraced("echo 0 > " + TRACING + "/tracing_on");
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
            runTraced("echo 1 > " + TRACING + "/tracing_on && cat /proc/meminfo > /dev/null");
            switchTracer("nop");
        }
        assertThat(patch).isPresent().isInTransition();
        livepatches.setModuleParameter("lpt_busy", "block_transition", "0");
        patch.awaitTransition();

        assertThat(patch).isPresent().isEnabled().isNotInTransition();
        assertNoNewTrouble();
    }
}
