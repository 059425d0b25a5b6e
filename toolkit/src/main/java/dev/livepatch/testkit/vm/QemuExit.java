package dev.livepatch.testkit.vm;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a QEMU process ended.
 *
 * @param status its exit status as the JVM reports it: 128 + N when signal N killed it
 * @param errors QEMU's own error output
 */
record QemuExit(int status, String errors) {
    /** What QEMU prints when it caught SIGINT, SIGTERM or SIGHUP and shut down as asked (then it exits with 0). */
    private static final Pattern TERMINATING =
            Pattern.compile("terminating on signal (\\d+)(?: from pid (\\d+)(?: \\(([^)]*)\\))?)?");

    /** The signals that ask QEMU to stop; before it installs its handlers, they kill it outright. */
    private static final Set<Integer> STOP_SIGNALS = Set.of(1, 2, 15);

    private static final String KILLED_HINT =
            " from outside the toolkit (a user, a script, or the host kernel's OOM killer: see the host's dmesg)";

    private static final Map<Integer, String> SIGNALS = Map.ofEntries(
            Map.entry(1, "SIGHUP"),
            Map.entry(2, "SIGINT"),
            Map.entry(3, "SIGQUIT"),
            Map.entry(4, "SIGILL"),
            Map.entry(6, "SIGABRT"),
            Map.entry(7, "SIGBUS"),
            Map.entry(8, "SIGFPE"),
            Map.entry(9, "SIGKILL"),
            Map.entry(11, "SIGSEGV"),
            Map.entry(13, "SIGPIPE"),
            Map.entry(14, "SIGALRM"),
            Map.entry(15, "SIGTERM"));

    /**
     * The stop signal (SIGINT, SIGTERM, SIGHUP) that ended QEMU and where it came from, in words, unless this JVM
     * sent it: "Ctrl-C (SIGINT)", "SIGTERM (signal 15) from pid 4242 (kill)".
     */
    Optional<String> stopSignal() {
        Matcher caught = TERMINATING.matcher(errors);
        if (caught.find()) {
            String sender = caught.group(2);
            if (sender != null
                    && Long.parseLong(sender) == ProcessHandle.current().pid()) {
                return Optional.empty();
            }
            int signal = Integer.parseInt(caught.group(1));
            if (sender == null) {
                // The kernel sends no pid for a signal from the terminal.
                return Optional.of(signal == 2 ? "Ctrl-C (SIGINT)" : signalName(signal));
            }
            return Optional.of(signalName(signal) + " from pid " + sender
                    + (caught.group(3) == null ? "" : " (" + caught.group(3) + ")"));
        }
        return killedBy().filter(STOP_SIGNALS::contains).map(QemuExit::signalName);
    }

    /** Whether this JVM stopped QEMU with a signal, as closing a guest does. */
    boolean stoppedByThisJvm() {
        Matcher caught = TERMINATING.matcher(errors);
        return caught.find()
                && caught.group(2) != null
                && Long.parseLong(caught.group(2)) == ProcessHandle.current().pid();
    }

    /**
     * What ended QEMU when no stop signal did, in words, e.g. "QEMU was killed by SIGKILL (signal 9) from outside the
     * toolkit (...)".
     */
    String describe() {
        Optional<Integer> killed = killedBy();
        if (killed.isPresent()) {
            return "QEMU was killed by " + signalName(killed.get()) + (killed.get() == 9 ? KILLED_HINT : "");
        }
        if (status == 0) {
            return "QEMU exited with status 0: the guest powered off or rebooted (QEMU runs with -no-reboot)";
        }
        return "QEMU exited with status " + status + (errors.isBlank() ? "" : ": " + errors.strip());
    }

    private Optional<Integer> killedBy() {
        return status > 128 && status < 128 + 65 ? Optional.of(status - 128) : Optional.empty();
    }

    private static String signalName(int signal) {
        String name = SIGNALS.get(signal);
        return name == null ? "signal " + signal : name + " (signal " + signal + ")";
    }
}
