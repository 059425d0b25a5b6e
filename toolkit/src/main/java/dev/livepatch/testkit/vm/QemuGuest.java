package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.GuestShells;
import dev.livepatch.testkit.ssh.SessionTranscript;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running guest: its QEMU process, run folder, serial console, QMP connection and SSH session. When its boot
 * snapshot keeps an SSH session (see {@link SessionPort}), a reset takes that session up again after {@code loadvm}
 * instead of opening a new one: {@code loadvm} and one command's round trip, no handshake.
 */
final class QemuGuest implements Guest {
    private static final int CRASH_TAIL_LINES = 40;
    private static final int CRASH_CONTEXT_LINES = 5;
    private static final int CRASH_TAIL_MAX_LINES = 150;
    private static final Duration CRASH_SETTLE = Duration.ofSeconds(1);
    /** How long a guest whose SSH works over TCP may take to show its SSH server's banner on the SSH port. */
    private static final Duration PORT_BANNER_WAIT = Duration.ofSeconds(2);

    /**
     * Waits (up to 5 s) for a tenth of a second in which the guest's CPUs spent at most one tick outside idle, read from
     * {@code /proc/stat} by the shell itself. Whatever still runs at {@code savevm} runs again after every
     * {@code loadvm}, on code that emulation translates anew, and delays the first command of every test.
     */
    private static final String AWAIT_QUIET = "p=; i=0; while [ $i -lt 50 ]; do"
            + " read -r c u n s x w q f rest < /proc/stat; t=$((u + n + s + q + f));"
            + " [ -n \"$p\" ] && [ $((t - p)) -le 1 ] && exit 0; p=$t; i=$((i + 1)); sleep 0.1; done; exit 1";

    private static final Logger LOG = LoggerFactory.getLogger(QemuGuest.class);

    private final Machine machine;
    private final Accelerator accelerator;
    private final RunFolder runFolder;
    private final SerialConsole console;
    private final QemuProcess process;
    private final StartMode startMode;
    private Qmp qmp;
    private SshTarget target;
    private SessionPort port;
    private SessionTranscript keptSession;
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

    synchronized void connected(Qmp monitor, SshTarget sshTarget, SessionPort sshPort) {
        this.qmp = monitor;
        this.target = sshTarget;
        this.port = sshPort;
    }

    /** Lets a guest started paused from its snapshot run, now that the host end of its SSH port is connected. */
    synchronized void resume() {
        control("cont", "let the restored guest run");
    }

    synchronized void ready(GuestShell firstShell, Duration took) {
        this.shell = firstShell;
        this.startDuration = took;
    }

    /**
     * Takes up the session kept in the snapshot this guest started from, with a command's round trip to prove it; an
     * empty result (and a note in the log) when that cannot be done, and a new SSH connection must be made.
     */
    synchronized Optional<GuestShell> takeUpKeptSession(SessionTranscript transcript, Duration timeout) {
        keptSession = transcript;
        return takeUpKeptSession(timeout, true);
    }

    /** The kept session made again from its transcript; on failure, later shells connect anew over TCP. */
    private Optional<GuestShell> takeUpKeptSession(Duration timeout, boolean probe) {
        try {
            GuestShell kept = new CrashAwareShell(GuestShells.resume(target, port.pipe(), keptSession, timeout), this);
            if (probe) {
                kept.run("true", timeout);
            }
            return Optional.of(kept);
        } catch (SshException e) {
            failIfDead();
            LOG.warn(
                    "Guest {}: the SSH session kept in its snapshot could not be taken up ({}); connecting anew",
                    id(),
                    e.getMessage());
            keptSession = null;
            return Optional.empty();
        }
    }

    /**
     * Saves the boot snapshot into the state drive, keeping an SSH session over the guest's SSH port in it when the
     * guest serves one: the session's transcript is returned, to be stored beside the snapshot. The TCP session is
     * closed first, so that none is restored later.
     */
    synchronized Optional<SessionTranscript> saveSnapshot() {
        Duration timeout = Settings.SSH_TIMEOUT.get();
        if (shell().exec(AWAIT_QUIET, timeout).exitCode() != 0) {
            LOG.info("Guest {}: still busy 5 s after boot; saving its boot snapshot anyway", id());
        }
        closeShell();
        GuestShells.KeptShell kept = null;
        if (port.hasInput(PORT_BANNER_WAIT)) {
            try {
                kept = GuestShells.keep(target, port.pipe(), timeout);
            } catch (SshException e) {
                failIfDead();
                LOG.warn(
                        "Guest {}: no SSH session over its SSH port ({}); its snapshot keeps none",
                        id(),
                        e.getMessage());
            }
        } else {
            LOG.info(
                    "Guest {}: its image serves no SSH session on port {}; its snapshot keeps none",
                    id(),
                    SessionPort.NAME);
        }
        control("stop", "stop the guest to save its boot snapshot");
        if (kept != null && (port.settle() > 0 || kept.bytesReadSince().getAsLong() > 0)) {
            LOG.warn("Guest {}: its SSH server wrote after the handshake; its snapshot keeps no session", id());
            kept.shell().close();
            kept = null;
        }
        monitor("savevm " + SnapshotStore.TAG, "save the boot snapshot");
        control("cont", "let the guest run after saving its boot snapshot");
        snapshotSaved = true;
        if (kept == null) {
            return Optional.empty();
        }
        shell = new CrashAwareShell(kept.shell(), this);
        keptSession = kept.transcript();
        return Optional.of(keptSession);
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
        // Stopped first, so that what the guest wrote to its SSH port before the loadvm is all in the socket to be
        // drained; the old session ends there, and its goodbye never reaches the restored guest.
        control("stop", "stop the guest to restore its boot snapshot");
        monitor("loadvm " + SnapshotStore.TAG, "restore the boot snapshot");
        port.restart();
        closeShell();
        control("cont", "let the restored guest run");
        console.restored();
        reportedCrash = null;
        if (keptSession != null) {
            shell = takeUpKeptSession(Settings.SSH_TIMEOUT.get(), false).orElse(null);
        }
    }

    private void control(String command, String purpose) {
        try {
            qmp.execute(command, Map.of(), Settings.BOOT_TIMEOUT.get());
        } catch (IOException e) {
            failIfDead();
            throw new GuestException(
                    "Could not " + purpose + " (guest " + id() + "): " + e.getMessage() + "\n" + serialSection(30), e);
        }
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
            if (port != null) {
                port.close();
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
