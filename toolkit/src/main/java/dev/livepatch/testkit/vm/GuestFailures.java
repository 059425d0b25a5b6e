package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.ssh.SshException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * What a guest's failures mean: a crash on its console, QEMU's exit and who asked for it, each thrown as the
 * exception that explains it, with the console's tail.
 */
final class GuestFailures {
    private static final int CRASH_TAIL_LINES = 40;
    private static final int CRASH_CONTEXT_LINES = 5;
    private static final int CRASH_TAIL_MAX_LINES = 150;
    private static final Duration CRASH_SETTLE = Duration.ofSeconds(1);
    private static final String KVM_INTERNAL_ERROR = "KVM internal error";

    private final String guest;
    private final SerialConsole console;
    private final QemuProcess process;
    private final BooleanSupplier closed;
    private final IntFunction<String> serialSection;
    private volatile String reportedCrash;

    /**
     * @param closed whether the guest was closed by its owner
     * @param serialSection the console's last lines under a header, as {@link Guest#serialSection} shows them
     */
    GuestFailures(
            String guest,
            SerialConsole console,
            QemuProcess process,
            BooleanSupplier closed,
            IntFunction<String> serialSection) {
        this.guest = guest;
        this.console = console;
        this.process = process;
        this.closed = closed;
        this.serialSection = serialSection;
    }

    /**
     * Throws the crash or QEMU exit that explains a failure; returns when the guest is fine. A crash the guest
     * survived (a BUG or oops without panic) is thrown once, so that the guest can still be inspected.
     */
    void failIfDead() {
        Optional<String> crash = console.crash();
        if (crash.isPresent() && (!process.isAlive() || !crash.get().equals(reportedCrash))) {
            process.awaitExit(CRASH_SETTLE);
            reportedCrash = crash.get();
            throw new GuestCrashedException(guest, crash.get(), crashTail(), null);
        }
        String errors = process.errors();
        int kvmError = errors.indexOf(KVM_INTERNAL_ERROR);
        if (kvmError >= 0) {
            throw new KvmFailedException("KVM could not run guest " + guest + ", which QEMU paused (with "
                    + Settings.ACCEL.name() + "=auto the toolkit then runs guests under TCG; set it to tcg to skip"
                    + " KVM here): "
                    + errors.substring(kvmError).lines().limit(12).collect(Collectors.joining("\n")));
        }
        if (!process.isAlive()) {
            QemuExit exit = process.exit();
            Optional<String> stopped = stopReason(exit);
            if (stopped.isPresent()) {
                throw new GuestStoppedException(
                        "Guest " + guest + " was stopped by " + stopped.get(), stopped.get(), null);
            }
            throw new GuestDiedException(
                    "Guest " + guest + " died: " + exit.describe() + "\n" + serialSection.apply(30));
        }
    }

    /** The guest went back to its snapshot: a crash seen before is not this guest's any more. */
    void restored() {
        reportedCrash = null;
    }

    /**
     * Why QEMU stopped, when it was asked to rather than failing: this JVM is shutting down and its hooks stopped
     * it, or a stop signal reached it (Ctrl-C does, QEMU being in the same process group). QEMU exits with 0 then,
     * which must not read as a failure.
     */
    private Optional<String> stopReason(QemuExit exit) {
        if (JvmShutdown.inProgress()) {
            return Optional.of("SIGTERM or Ctrl-C (this program is shutting down)");
        }
        Optional<String> signal = exit.stopSignal();
        if (signal.isPresent()) {
            return signal;
        }
        if (exit.stoppedByThisJvm() || closed.getAsBoolean()) {
            return Optional.of("this program (it closed the guest)");
        }
        return Optional.empty();
    }

    /** The crash behind an SSH failure, if the guest crashed; otherwise {@code failure} itself. */
    RuntimeException explain(SshException failure) {
        try {
            Deadline.after(CRASH_SETTLE)
                    .poll(
                            "a crash or exit of guest " + guest + " behind an SSH failure",
                            Duration.ofMillis(10),
                            () -> console.crash().isPresent() || !process.isAlive()
                                    ? Optional.of(true)
                                    : Optional.empty(),
                            () -> "the guest still runs");
        } catch (WaitTimeoutException stillRunning) {
            return failure;
        }
        try {
            failIfDead();
            return failure;
        } catch (GuestException dead) {
            dead.addSuppressed(failure);
            return dead;
        }
    }

    /** The last lines of the console: at least 40, and the whole crash report with a few lines before it. */
    private String crashTail() {
        int lines = Math.max(CRASH_TAIL_LINES, console.linesSinceCrash() + CRASH_CONTEXT_LINES);
        return console.tail(Math.min(lines, CRASH_TAIL_MAX_LINES));
    }
}
