package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.SshTarget;
import dev.livepatch.testkit.ssh.kept.SessionPort;
import dev.livepatch.testkit.ssh.kept.SessionTranscript;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings one guest up: from a private copy of the boot snapshot when there is one, otherwise with a cold boot
 * that ends by saving the snapshot for the guests after it (with the SSH session over the guest's SSH port open in it,
 * when its image serves one, and no other).
 */
final class GuestLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(GuestLauncher.class);
    private static final String FROM_SNAPSHOT = "Starting guest from its boot snapshot";
    private static final Pattern FORWARD = Pattern.compile("HOST_FORWARD\\]\\s+\\d+\\s+127\\.0\\.0\\.1\\s+(\\d+)");

    private final Cache cache;
    private final SnapshotStore snapshots;
    private final String qemuVersion;

    GuestLauncher(Cache cache, String qemuVersion) {
        this.cache = cache;
        this.snapshots = new SnapshotStore(cache);
        this.qemuVersion = qemuVersion;
    }

    /** The command shared by every guest of this kernel, image and machine, before per-guest paths are added. */
    QemuCommand command(Kernel kernel, GuestImage image, Machine machine, Accelerator accelerator) {
        Path boot = kernel.arch().equals(Arch.X86_64) ? PvhKernel.bootFile(kernel, cache) : kernel.image();
        return QemuCommand.directBoot(boot, image.initramfs())
                .arch(kernel.arch())
                .kernelArguments(image.kernelArguments() == null ? "" : image.kernelArguments())
                .machine(machine)
                .accelerator(accelerator)
                .ioUring(IoUring.supported())
                .build();
    }

    /**
     * Starts a guest as one step of {@code progress}; {@code useSnapshots} false boots cold and saves nothing (to
     * measure a cold boot). Whether to boot cold is decided holding the snapshot's lock, which a cold boot keeps until
     * its snapshot is saved, so that concurrent runs boot cold once between them.
     */
    QemuGuest start(Kernel kernel, GuestImage image, QemuCommand shared, boolean useSnapshots, Progress progress) {
        String cold = "Booting " + kernel.release() + " with image '" + image.name() + "' (" + shared.accelerator()
                + (useSnapshots ? "; later starts use a snapshot)" : ")");
        if (!useSnapshots) {
            return progress.step(
                    cold,
                    step -> interruptible(kernel, image, () -> start(kernel, image, shared, Optional.empty(), null)));
        }
        String key = SnapshotStore.key(kernel, image, shared, qemuVersion);
        Optional<Path> snapshot = snapshots.find(key);
        if (snapshot.isEmpty()) {
            try (EntryLock lock = snapshots.lock(
                    key,
                    "the first boot of image '" + image.name() + "' on " + kernel.release() + " (boot snapshot)")) {
                snapshot = SnapshotStore.file(lock);
                if (snapshot.isEmpty()) {
                    return progress.step(
                            cold,
                            step -> interruptible(
                                    kernel, image, () -> start(kernel, image, shared, Optional.empty(), lock)));
                }
            }
        }
        Optional<Path> saved = snapshot;
        return progress.step(
                FROM_SNAPSHOT, step -> interruptible(kernel, image, () -> start(kernel, image, shared, saved, null)));
    }

    /**
     * Starts a guest, saying that the run was interrupted when this program is stopped meanwhile: inside the step,
     * so that the step's own line says it, as the program may end before anything else is printed.
     */
    private static QemuGuest interruptible(Kernel kernel, GuestImage image, Supplier<QemuGuest> start) {
        try {
            return start.get();
        } catch (GuestStoppedException e) {
            throw new GuestStoppedException(
                    "Interrupted while booting " + kernel.release() + " with image '" + image.name() + "' by "
                            + e.reason() + ": the guest was stopped",
                    e.reason(),
                    e);
        }
    }

    /** Starts from {@code snapshot}, or boots cold and stores the snapshot under {@code snapshotLock} when given. */
    private QemuGuest start(
            Kernel kernel, GuestImage image, QemuCommand shared, Optional<Path> snapshot, EntryLock snapshotLock) {
        long begin = System.nanoTime();
        RunFolder run = RunFolder.create(cache, image.name());
        Path state = run.resolve("state.qcow2");
        QemuCommand.Builder builder = shared.toBuilder()
                .name("lpt-" + run.id())
                .qmpSocket(run.resolve("qmp.sock"))
                .stateDrive(state);
        if (snapshot.isPresent()) {
            // Paused until the host end of the SSH port is connected: restored without it, the guest would be told
            // that the host closed the port, which ends the session the snapshot keeps.
            builder.loadSnapshot(SnapshotStore.TAG).paused(true);
        }
        QemuCommand command = builder.build();
        QemuGuest guest;
        try {
            if (snapshot.isPresent()) {
                snapshots.copyTo(snapshot.get(), state);
            } else {
                createStateDrive(state);
            }
            LOG.debug("{}: state drive ready after {} ms", run.id(), millisSince(begin));
            SerialConsole console = new SerialConsole(run.resolve("serial.log"));
            QemuProcess process = QemuProcess.launch(command.arguments(), console, run.path());
            run.claim(process.pid());
            guest = new QemuGuest(
                    shared.machine(),
                    shared.accelerator(),
                    run,
                    console,
                    process,
                    snapshot.isPresent() ? StartMode.SNAPSHOT : StartMode.COLD);
        } catch (IOException e) {
            run.delete();
            throw new GuestException("Could not prepare guest " + run.id(), e);
        } catch (RuntimeException e) {
            run.delete();
            throw e;
        }
        try {
            bringUp(guest, image, command, snapshot.map(snapshots::keptSession), begin);
            if (snapshotLock != null) {
                SnapshotStore.store(snapshotLock, state, guest.saveSnapshot());
            }
            return guest;
        } catch (RuntimeException e) {
            guest.close();
            throw e;
        }
    }

    /**
     * Connects to QEMU and waits for a working SSH command. A guest started from a snapshot is paused until the host
     * end of its SSH port is connected; then the session kept in the snapshot is taken up when there is one.
     */
    private void bringUp(
            QemuGuest guest,
            GuestImage image,
            QemuCommand command,
            Optional<Optional<SessionTranscript>> snapshot,
            long begin) {
        Duration limit = Settings.BOOT_TIMEOUT.get();
        Deadline deadline = Deadline.after(limit);
        try {
            LOG.debug("{}: QEMU launched after {} ms", guest.id(), millisSince(begin));
            Qmp qmp = connectQmp(guest, command.qmpSocket(), deadline);
            LOG.debug("{}: QMP answered after {} ms", guest.id(), millisSince(begin));
            SshTarget target = new SshTarget(
                    "127.0.0.1", forwardedPort(guest, qmp, limit), "root", image.userPrivateKey(), image.hostKey());
            SessionPort port = SessionPort.connect(command.sessionSocket(), deadline, guest::failIfDead);
            guest.connected(qmp, target, port);
            LOG.debug("{}: QMP, port forward and SSH port after {} ms", guest.id(), millisSince(begin));
            Optional<GuestShell> kept = Optional.empty();
            if (snapshot.isPresent()) {
                guest.resume();
                kept = snapshot.get()
                        .flatMap(transcript -> guest.takeUpKeptSession(
                                transcript, min(Settings.SSH_TIMEOUT.get(), deadline.remaining())));
            }
            GuestShell shell = kept.isPresent()
                    ? kept.get()
                    : new CrashAwareShell(guest.sshWait().await(deadline, snapshot.isPresent()), guest);
            guest.ready(shell, Duration.ofNanos(System.nanoTime() - begin));
            LOG.debug(
                    "{}: SSH works after {} ms",
                    guest.id(),
                    guest.startDuration().toMillis());
        } catch (WaitTimeoutException e) {
            guest.failIfDead();
            throw new GuestBootException(
                    "Guest " + guest.id() + " did not come up: " + e.getMessage()
                            + "\n" + guest.serialSection(30)
                            + "\nA slow machine may need more time: -D" + Settings.BOOT_TIMEOUT.name() + "=5m",
                    e);
        }
    }

    private static Qmp connectQmp(QemuGuest guest, Path socket, Deadline deadline) {
        String[] lastError = {"the socket does not exist yet"};
        return deadline.poll(
                "QEMU's QMP socket " + socket,
                Duration.ofMillis(5),
                () -> {
                    guest.failIfDead();
                    if (!Files.exists(socket)) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(Qmp.connect(socket, guest.id(), deadline.remaining()));
                    } catch (IOException e) {
                        lastError[0] = e.getMessage();
                        return Optional.empty();
                    }
                },
                () -> lastError[0]);
    }

    private static int forwardedPort(QemuGuest guest, Qmp qmp, Duration timeout) {
        String usernet;
        try {
            usernet = qmp.human("info usernet", timeout);
        } catch (IOException e) {
            guest.failIfDead();
            throw new GuestBootException(
                    "Could not ask QEMU for the SSH port forward of guest " + guest.id() + ": " + e.getMessage(), e);
        }
        Matcher matcher = FORWARD.matcher(usernet);
        if (!matcher.find()) {
            throw new GuestBootException(
                    "QEMU did not report the SSH port forward of guest " + guest.id() + ": " + usernet);
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static long millisSince(long begin) {
        return (System.nanoTime() - begin) / 1_000_000;
    }

    private static void createStateDrive(Path state) {
        ProcessRunner.create()
                .run(
                        List.of("qemu-img", "create", "-q", "-f", "qcow2", state.toString(), "1M"),
                        Settings.BOOT_TIMEOUT.get());
    }
}
