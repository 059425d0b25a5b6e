package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import dev.livepatch.testkit.ssh.kept.SessionPort;
import dev.livepatch.testkit.ssh.kept.SessionTranscript;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running guest: its QEMU process, run folder, serial console, monitor, SSH session and {@link GuestFailures}. When
 * its boot snapshot keeps an SSH session ({@link KeptSession}), a reset takes that session up again after
 * {@code loadvm} instead of opening a new one: {@code loadvm} and one command's round trip, no handshake.
 */
final class QemuGuest implements Guest {
    private final Machine machine;
    private final Accelerator accelerator;
    private final RunFolder runFolder;
    private final SerialConsole console;
    private final QemuProcess process;
    private final StartMode startMode;
    private GuestMonitor monitor;
    private final GuestFailures failures;
    private SshTarget target;
    private KeptSession kept;
    private GuestShell shell;
    private Duration startDuration;
    private boolean snapshotSaved;
    private String sshTrouble;
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
        this.failures = new GuestFailures(runFolder.id(), console, process, closed::get, this::serialSection);
        OpenGuests.add(this);
    }

    synchronized void connected(Qmp monitor, SshTarget sshTarget, SessionPort sshPort) {
        this.monitor = new GuestMonitor(monitor, id(), failures, this::serialSection);
        this.target = sshTarget;
        this.kept = new KeptSession(id(), sshPort, this::failIfDead);
    }

    /** Lets a guest started paused from its snapshot run, now that the host end of its SSH port is connected. */
    synchronized void resume() {
        monitor.cont("let the restored guest run");
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
        return kept.takeUp(target, transcript, timeout, true).map(this::crashAware);
    }

    /**
     * Saves the boot snapshot into the state drive, keeping an SSH session over the guest's SSH port in it when the
     * guest serves one: the session's transcript is returned, to be stored beside the snapshot. The TCP session is
     * closed first, so that none is restored later.
     */
    synchronized Optional<SessionTranscript> saveSnapshot() {
        Duration timeout = Settings.SSH_TIMEOUT.get();
        monitor.awaitQuiet(shell(), timeout);
        closeShell();
        kept.saveSnapshot(target, monitor, timeout).ifPresent(open -> shell = crashAware(open));
        snapshotSaved = true;
        return kept.transcript();
    }

    SshWait sshWait() {
        return new SshWait(target, console::readyLineSeen, this::failIfDead);
    }

    @Override
    public synchronized GuestShell shell() {
        ensureOpen();
        if (shell == null || !shell.isConnected()) {
            try {
                shell = crashAware(sshWait().reconnect(Deadline.after(Settings.SSH_TIMEOUT.get())));
            } catch (WaitTimeoutException e) {
                failIfDead();
                throw new SshException(e.getMessage() + "\n" + serialSection(30), e);
            }
        }
        return shell;
    }

    @Override
    public synchronized boolean canReset() {
        return snapshotSaved;
    }

    @Override
    public synchronized void reset() {
        if (closed.get()) {
            throw new GuestException("Guest " + id() + " is closed");
        }
        if (!process.isAlive()) {
            failIfDead(); // a crash the guest survived does not stop a reset: the snapshot has none
        }
        if (!snapshotSaved) {
            throw new GuestException(
                    "Guest " + id() + " has no boot snapshot to go back to (it was booted without saving one)");
        }
        // Stopped first, so that what the guest wrote to its SSH port before the loadvm is all in the socket to be
        // drained; the old session ends there, and its goodbye never reaches the restored guest.
        monitor.stop("stop the guest to restore its boot snapshot");
        monitor.loadSnapshot();
        kept.restart();
        closeShell();
        monitor.cont("let the restored guest run");
        console.restored();
        failures.restored();
        String trouble = sshTrouble;
        sshTrouble = null;
        shell = kept.takeUp(target, Settings.SSH_TIMEOUT.get(), trouble != null)
                .map(this::crashAware)
                .orElse(null);
        if (trouble != null && shell == null) {
            awaitAnswerAfterReset(trouble);
        }
    }

    /**
     * After SSH failed on the guest, a reset proves that the restored guest answers (the kept session's probe, or
     * else this one over a new connection): a guest hung in a way {@code loadvm} does not undo (seen with s390x under
     * TCG) would otherwise fail every later command after its whole timeout.
     */
    private void awaitAnswerAfterReset(String trouble) {
        try {
            shell().run("true", Settings.SSH_TIMEOUT.get());
        } catch (SshException e) {
            failIfDead();
            sshTrouble = trouble;
            throw new GuestHungException(
                    "Guest " + id() + " did not answer after its reset to the boot snapshot (" + firstLine(e)
                            + "); before the reset: " + trouble + ". What holds it is in its QEMU process, which"
                            + " loadvm does not restore: start a new guest.\n" + serialSection(30),
                    e);
        }
    }

    /** A command's SSH failed (it overran its time, its channel did not open, the session dropped). */
    synchronized void sshFailed(SshException failure) {
        if (sshTrouble == null) {
            sshTrouble = firstLine(failure);
        }
    }

    private static String firstLine(Exception e) {
        return e.getMessage()
                .strip()
                .lines()
                .findFirst()
                .map(line -> line.replaceFirst("; output so far:$", ""))
                .orElse(e.getClass().getSimpleName());
    }

    private GuestShell crashAware(GuestShell plain) {
        return new CrashAwareShell(plain, this);
    }

    /** Throws the crash or QEMU exit that explains a failure; returns when the guest is fine. */
    void failIfDead() {
        failures.failIfDead();
    }

    /** The crash behind an SSH failure, if the guest crashed; otherwise {@code failure} itself. */
    RuntimeException explain(SshException failure) {
        return failures.explain(failure);
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
            if (monitor != null) {
                monitor.close();
            }
            if (kept != null) {
                kept.close();
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
