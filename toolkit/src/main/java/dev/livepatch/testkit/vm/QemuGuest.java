package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A running guest: its QEMU process, run folder, serial console, QMP connection and SSH session. */
final class QemuGuest implements Guest {
    private static final int CRASH_TAIL_LINES = 40;
    private static final int CRASH_CONTEXT_LINES = 5;
    private static final int CRASH_TAIL_MAX_LINES = 150;
    private static final Duration CRASH_SETTLE = Duration.ofSeconds(1);

    private final Machine machine;
    private final Accelerator accelerator;
    private final RunFolder runFolder;
    private final SerialConsole console;
    private final QemuProcess process;
    private final StartMode startMode;
    private Qmp qmp;
    private SshTarget target;
    private GuestShell shell;
    private Duration startDuration;
    private boolean snapshotSaved;
    private volatile String reportedCrash;
    private final AtomicBoolean closed = new AtomicBoolean();

    QemuGuest(
            Machine machine,
            Accelerator accelerator,
            RunFolder runFolder,
            SerialConsole console,
            QemuProcess process,
            StartMode startMode) {
        this.machine = machine;
        this.accelerator = accelerator;
        this.runFolder = runFolder;
        this.console = console;
        this.process = process;
        this.startMode = startMode;
        this.snapshotSaved = startMode == StartMode.SNAPSHOT;
        OpenGuests.add(this);
    }

    synchronized void connected(Qmp monitor, SshTarget sshTarget) {
        this.qmp = monitor;
        this.target = sshTarget;
    }

    synchronized void ready(GuestShell firstShell, Duration took) {
        this.shell = firstShell;
        this.startDuration = took;
    }

    /** Saves the boot snapshot into the state drive; no SSH session may be open, so none is restored later. */
    synchronized void saveSnapshot() {
        closeShell();
        monitor("savevm " + SnapshotStore.TAG, "save the boot snapshot");
        snapshotSaved = true;
    }

    SshWait sshWait() {
        return new SshWait(target, console::readyLineSeen, this::failIfDead);
    }

    @Override
    public synchronized GuestShell shell() {
        ensureOpen();
        if (shell == null || !shell.isConnected()) {
            try {
                shell = new CrashAwareShell(sshWait().reconnect(Deadline.after(Settings.SSH_TIMEOUT.get())), this);
            } catch (WaitTimeoutException e) {
                failIfDead();
                throw new SshException(e.getMessage() + "\n" + serialSection(30), e);
            }
        }
        return shell;
    }

    @Override
    public synchronized void reset() {
        if (closed.get()) {
            throw new GuestException("Guest " + id() + " is closed");
        }
        if (!process.isAlive()) {
            failIfDead();
        }
        if (!snapshotSaved) {
            throw new GuestException(
                    "Guest " + id() + " has no boot snapshot to go back to (it was booted without saving one)");
        }
        closeShell();
        monitor("loadvm " + SnapshotStore.TAG, "restore the boot snapshot");
        console.restored();
        reportedCrash = null;
    }

    private void monitor(String command, String purpose) {
        try {
            qmp.human(command, Settings.BOOT_TIMEOUT.get());
        } catch (IOException e) {
            failIfDead();
            throw new GuestException(
                    "Could not " + purpose + " of guest " + id() + ": " + e.getMessage() + "\n" + serialSection(30), e);
        }
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
            throw new GuestCrashedException(id(), crash.get(), crashTail(), null);
        }
        if (!process.isAlive()) {
            QemuExit exit = process.exit();
            Optional<String> stopped = stopReason(exit);
            if (stopped.isPresent()) {
                throw new GuestStoppedException(
                        "Guest " + id() + " was stopped by " + stopped.get(), stopped.get(), null);
            }
            throw new GuestDiedException("Guest " + id() + " died: " + exit.describe() + "\n" + serialSection(30));
        }
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
        if (exit.stoppedByThisJvm() || closed.get()) {
            return Optional.of("this program (it closed the guest)");
        }
        return Optional.empty();
    }

    /** The crash behind an SSH failure, if the guest crashed; otherwise {@code failure} itself. */
    RuntimeException explain(SshException failure) {
        try {
            Deadline.after(CRASH_SETTLE)
                    .poll(
                            "a crash or exit of guest " + id() + " behind an SSH failure",
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
        return serialTail(Math.min(lines, CRASH_TAIL_MAX_LINES));
    }

    private void closeShell() {
        GuestShell open = shell;
        shell = null;
        if (open != null) {
            open.close();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new GuestException("Guest " + id() + " is closed");
        }
        failIfDead();
    }

    long pid() {
        return process.pid();
    }

    @Override
    public String id() {
        return runFolder.id();
    }

    @Override
    public SshTarget sshTarget() {
        return target;
    }

    @Override
    public Path serialLog() {
        return runFolder.resolve("serial.log");
    }

    @Override
    public String serialTail(int lines) {
        return console.tail(lines);
    }

    @Override
    public Optional<String> crash() {
        return console.crash();
    }

    @Override
    public StartMode startMode() {
        return startMode;
    }

    @Override
    public Duration startDuration() {
        return startDuration;
    }

    @Override
    public Accelerator accelerator() {
        return accelerator;
    }

    @Override
    public Machine machine() {
        return machine;
    }

    @Override
    public boolean isRunning() {
        return !closed.get() && process.isAlive();
    }

    @Override
    public void close() {
        if (closed.getAndSet(true)) {
            return;
        }
        try {
            closeShell();
            if (qmp != null) {
                qmp.close();
            }
        } finally {
            process.close();
            try {
                console.close();
            } catch (IOException ignored) {
                // The log file is deleted with the run folder right below.
            }
            runFolder.delete();
            OpenGuests.remove(this);
        }
    }

    @Override
    public String toString() {
        return "guest " + id() + " (" + machine.cpus() + " CPU, " + machine.memoryMib() + " MiB, " + accelerator + ", "
                + startMode.name().toLowerCase() + " start"
                + (startDuration == null ? "" : " in " + Durations.format(startDuration)) + ")";
    }
}
