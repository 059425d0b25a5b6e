package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.GuestShells;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A guest in a QEMU process, with its run folder (serial log, QMP socket, state drive). */
final class QemuGuest implements Guest {
    private static final Logger LOG = LoggerFactory.getLogger(QemuGuest.class);
    private static final Pattern FORWARD = Pattern.compile("HOST_FORWARD\\]\\s+\\d+\\s+127\\.0\\.0\\.1\\s+(\\d+)");
    private static final Duration SSH_RETRY = Duration.ofMillis(25);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(10);

    private final String id;
    private final Machine machine;
    private final Accelerator accelerator;
    private final Path runDir;
    private final SerialConsole console;
    private final QemuProcess process;
    private final StartMode startMode;
    private Qmp qmp;
    private SshTarget target;
    private GuestShell shell;
    private Duration startDuration;
    private boolean closed;

    private QemuGuest(
            String id,
            Machine machine,
            Accelerator accelerator,
            Path runDir,
            SerialConsole console,
            QemuProcess process,
            StartMode startMode) {
        this.id = id;
        this.machine = machine;
        this.accelerator = accelerator;
        this.runDir = runDir;
        this.console = console;
        this.process = process;
        this.startMode = startMode;
    }

    static QemuGuest start(
            Kernel kernel,
            GuestImage image,
            Machine machine,
            Accelerator accelerator,
            SnapshotStore snapshots,
            String snapshotKey,
            boolean coldOnly,
            Cache cache)
            throws IOException {
        long begin = System.nanoTime();
        Path runs = Files.createDirectories(cache.root().resolve("run"));
        Path runDir = Files.createTempDirectory(runs, image.name() + "-");
        String id = runDir.getFileName().toString();
        Path state = runDir.resolve("state.qcow2");
        Optional<Path> snapshot = coldOnly ? Optional.empty() : snapshots.find(snapshotKey);
        if (snapshot.isPresent()) {
            snapshots.copyTo(snapshot.get(), state);
        } else {
            ProcessRunner.create()
                    .run(
                            List.of("qemu-img", "create", "-q", "-f", "qcow2", state.toString(), "1M"),
                            Duration.ofSeconds(30));
        }
        QemuCommand command = new QemuCommand(
                "lpt-" + id,
                kernel.image(),
                image.initramfs(),
                image.kernelArguments(),
                machine,
                accelerator,
                runDir.resolve("qmp.sock"),
                state,
                snapshot.map(s -> SnapshotStore.TAG));
        SerialConsole console = new SerialConsole(runDir.resolve("serial.log"));
        QemuProcess process = QemuProcess.launch(command.arguments(), console, runDir);
        QemuGuest guest = new QemuGuest(
                id,
                machine,
                accelerator,
                runDir,
                console,
                process,
                snapshot.isPresent() ? StartMode.SNAPSHOT : StartMode.COLD);
        try {
            Deadline deadline = Deadline.after(Settings.BOOT_TIMEOUT.get());
            LOG.debug("{}: QEMU launched after {} ms", id, (System.nanoTime() - begin) / 1_000_000);
            guest.qmp = guest.connectQmp(runDir.resolve("qmp.sock"), deadline);
            LOG.debug("{}: QMP connected after {} ms", id, (System.nanoTime() - begin) / 1_000_000);
            guest.target =
                    new SshTarget("127.0.0.1", guest.forwardedPort(), "root", image.userPrivateKey(), image.hostKey());
            guest.shell = guest.awaitSsh(deadline);
            guest.startDuration = Duration.ofNanos(System.nanoTime() - begin);
            LOG.debug("{}: SSH working after {} ms", id, guest.startDuration.toMillis());
            if (snapshot.isEmpty() && !coldOnly) {
                guest.saveSnapshot(snapshots, snapshotKey, state);
            }
            return guest;
        } catch (RuntimeException | IOException e) {
            guest.close();
            throw e;
        }
    }

    private Qmp connectQmp(Path socket, Deadline deadline) {
        return deadline.poll(
                "QEMU's QMP socket " + socket,
                Duration.ofMillis(5),
                () -> {
                    failIfExited();
                    try {
                        return Files.exists(socket) ? Optional.of(Qmp.connect(socket)) : Optional.empty();
                    } catch (IOException e) {
                        return Optional.empty();
                    }
                },
                () -> process.errors().isEmpty() ? "no socket yet" : process.errors());
    }

    private int forwardedPort() throws IOException {
        String usernet = qmp.human("info usernet");
        Matcher matcher = FORWARD.matcher(usernet);
        if (!matcher.find()) {
            throw new GuestBootException("QEMU did not report the SSH port forward: " + usernet);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private GuestShell awaitSsh(Deadline deadline) {
        String[] lastError = {"no attempt yet"};
        try {
            return deadline.poll(
                    "SSH on " + target.host() + ":" + target.port() + " (guest " + id + ")",
                    SSH_RETRY,
                    () -> {
                        failIfExited();
                        try {
                            GuestShell candidate = GuestShells.connect(target, PROBE_TIMEOUT);
                            candidate.run("true", PROBE_TIMEOUT);
                            return Optional.of(new CrashAwareShell(candidate, this));
                        } catch (SshException e) {
                            if (e.getMessage().contains("pins")) {
                                throw e;
                            }
                            lastError[0] = e.getMessage();
                            return Optional.empty();
                        }
                    },
                    () -> lastError[0]);
        } catch (WaitTimeoutException e) {
            throw new GuestBootException(
                    e.getMessage() + "\n--- serial console (last lines) ---\n" + serialTail(30)
                            + "\nThe guest did not come up; a slow machine may need -Dlivepatch.boot.timeout=5m.",
                    e);
        }
    }

    private void saveSnapshot(SnapshotStore snapshots, String key, Path state) throws IOException {
        // Dropped caches leave less in memory for savevm to write and loadvm to read.
        shell.run("sync; echo 3 > /proc/sys/vm/drop_caches", PROBE_TIMEOUT);
        shell.close();
        shell = null;
        qmp.human("savevm " + SnapshotStore.TAG);
        snapshots.store(key, state);
    }

    @Override
    public synchronized GuestShell shell() {
        ensureOpen();
        if (shell == null || !shell.isConnected()) {
            try {
                shell = new CrashAwareShell(GuestShells.connect(target, Settings.SSH_TIMEOUT.get()), this);
            } catch (SshException e) {
                failIfCrashed(e);
                throw e;
            }
        }
        return shell;
    }

    @Override
    public synchronized void reset() {
        ensureOpen();
        if (shell != null) {
            shell.close();
            shell = null;
        }
        try {
            qmp.human("loadvm " + SnapshotStore.TAG);
        } catch (IOException e) {
            failIfExited();
            throw new GuestException("Could not restore the boot snapshot of guest " + id + ": " + e.getMessage(), e);
        }
    }

    /** Raises the crash (or QEMU's exit) that explains {@code cause}; returns when the guest is still fine. */
    void failIfCrashed(RuntimeException cause) {
        process.awaitExit(Duration.ofSeconds(2));
        if (console.crash().isPresent()) {
            throw new GuestCrashedException(id, console.crash().get(), serialTail(40), cause);
        }
        failIfExited();
    }

    private void failIfExited() {
        if (!process.isAlive()) {
            if (console.crash().isPresent()) {
                throw new GuestCrashedException(id, console.crash().get(), serialTail(40), null);
            }
            throw new GuestBootException("QEMU exited with status " + process.exitValue() + ": " + process.errors()
                    + "\n--- serial console (last lines) ---\n" + serialTail(30));
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new GuestException("Guest " + id + " is closed");
        }
        failIfExited();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public SshTarget sshTarget() {
        return target;
    }

    @Override
    public Path serialLog() {
        return runDir.resolve("serial.log");
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
        return !closed && process.isAlive();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (shell != null) {
                shell.close();
            }
            if (qmp != null) {
                qmp.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // Closing best effort: the process is killed below regardless.
        } finally {
            process.close();
            try {
                console.close();
                Cache.deleteRecursively(runDir);
            } catch (IOException ignored) {
                // A leftover run folder holds no state that later runs read.
            }
        }
    }

    @Override
    public String toString() {
        return "guest " + id + " (" + machine.cpus() + " CPU, " + machine.memoryMib() + " MiB, " + accelerator + ", "
                + startMode.name().toLowerCase() + " start in " + Durations.format(startDuration) + ")";
    }
}
