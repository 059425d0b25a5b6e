package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.ssh.GuestShell;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What a test can leave behind in a guest, read in one command: loaded modules, livepatches, taint, user processes,
 * mounts, the tracing and kprobe state, {@code kernel.ftrace_enabled} and the livepatch core's debug switch. Equal
 * to the fingerprint of the guest fresh from its snapshot, the guest is as the snapshot left it in all of these, so
 * {@link LivepatchTest.Reset#WHEN_CHANGED} lets the next test run without a reset.
 *
 * <p>Taint is compared without the flags every module load of a test sets for good (out-of-tree, unsigned,
 * livepatch): any other flag (a warning, an oops) differs. Kernel threads come and go and are left out, as are the
 * module copies under {@code /tmp}: they are the toolkit's, and spare the next test their upload.
 *
 * @param text one line per module, livepatch, process and setting, in the guest's order
 */
record GuestFingerprint(String text) {
    /** {@code TAINT_OOT_MODULE}, {@code TAINT_UNSIGNED_MODULE} and {@code TAINT_LIVEPATCH}: bits 12, 13 and 15. */
    private static final long MODULE_LOAD_TAINT = (1L << 12) | (1L << 13) | (1L << 15);

    private static final String SELF = "/proc/self/stat";
    private static final String TAINTED = "/proc/sys/kernel/tainted";

    /**
     * One static program reads every file whole (a sysctl file cannot be read a byte at a time, as the shell's
     * {@code read} does), each line prefixed with its file; a file that does not exist is left out. It reads its own
     * {@code stat} first, to leave itself out of the processes.
     */
    static final String SCRIPT = "exec busybox grep -H '' " + SELF + " /proc/modules " + TAINTED
            + " /proc/mounts /proc/sys/kernel/ftrace_enabled /run/livepatch-testkit/dynamic-debug"
            + " /sys/kernel/livepatch/*/enabled /sys/kernel/debug/kprobes/enabled /sys/kernel/tracing/current_tracer"
            + " /sys/kernel/tracing/tracing_on /sys/kernel/tracing/set_ftrace_filter"
            + " /sys/kernel/tracing/kprobe_events /sys/kernel/tracing/enabled_functions /proc/[0-9]*/stat"
            + " 2> /dev/null";

    /** Reads the guest's; grep's exit status is not looked at, as it says 2 when a listed file does not exist. */
    static GuestFingerprint of(GuestShell shell) {
        return parse(shell.exec(SCRIPT, Settings.SSH_TIMEOUT.get()).stdout());
    }

    static GuestFingerprint parse(String output) {
        List<String> lines = output.lines().toList();
        String self = lines.stream()
                .filter(line -> line.startsWith(SELF + ":"))
                .findFirst()
                .flatMap(line -> Process.of(line.substring(SELF.length() + 1)))
                .map(Process::pid)
                .orElse("");
        List<String> kept = new ArrayList<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            String file = colon < 0 ? "" : line.substring(0, colon);
            String value = line.substring(colon + 1);
            if (file.equals(SELF)) {
                continue;
            }
            if (file.equals("/proc/modules")) {
                kept.add("module " + value.split(" ", 2)[0]);
            } else if (file.equals(TAINTED)) {
                kept.add("taint " + (Long.parseLong(value.strip()) & ~MODULE_LOAD_TAINT));
            } else if (file.startsWith("/proc/") && file.endsWith("/stat")) {
                Process.of(value)
                        .filter(process -> !process.isKernelThread()
                                && !process.pid().equals(self)
                                && !process.ppid().equals(self))
                        .ifPresent(process -> kept.add("process " + process.pid() + " " + process.comm()));
            } else {
                kept.add(line);
            }
        }
        return new GuestFingerprint(String.join("\n", kept));
    }

    /** The lines that differ, each marked {@code -} (only in this one) or {@code +} (only in {@code now}). */
    List<String> differences(GuestFingerprint now) {
        List<String> before = text.lines().toList();
        List<String> after = now.text.lines().toList();
        Set<String> beforeSet = Set.copyOf(before);
        Set<String> afterSet = Set.copyOf(after);
        List<String> differences = new ArrayList<>();
        before.stream().filter(line -> !afterSet.contains(line)).forEach(line -> differences.add("- " + line));
        after.stream().filter(line -> !beforeSet.contains(line)).forEach(line -> differences.add("+ " + line));
        return differences;
    }

    /** A line of {@code /proc/<pid>/stat}: {@code pid (comm) state ppid ...}; the name may hold spaces. */
    private record Process(String pid, String comm, String ppid) {
        static Optional<Process> of(String stat) {
            int open = stat.indexOf(" (");
            int close = stat.lastIndexOf(") ");
            if (open < 0 || close < open) {
                return Optional.empty();
            }
            String[] rest = stat.substring(close + 2).split(" ");
            return rest.length < 2
                    ? Optional.empty()
                    : Optional.of(new Process(stat.substring(0, open), stat.substring(open + 2, close), rest[1]));
        }

        /** {@code kthreadd} (pid 2) and its children. */
        boolean isKernelThread() {
            return pid.equals("2") || ppid.equals("2");
        }
    }
}
