package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What a person gets driving QEMU and OpenSSH by hand from the same boot snapshot: the floor the toolkit's start and
 * reset are measured against. A plain QEMU process with the guests' own command line (running at once, SSH forwarded
 * to a fixed port), {@code loadvm} over QMP, and OpenSSH's {@code ssh ... true} with the image's key and pinned host
 * key.
 */
final class SnapshotFloor implements AutoCloseable {
    private static final Duration SSH_ATTEMPT = Duration.ofSeconds(10);
    private static final Duration RETRY = Duration.ofMillis(20);

    private final RunFolder run;
    private final QemuProcess qemu;
    private final List<String> ssh;
    private final Duration start;
    private final Qmp qmp;

    private SnapshotFloor(RunFolder run, QemuProcess qemu, List<String> ssh, Duration start, Qmp qmp) {
        this.run = run;
        this.qemu = qemu;
        this.ssh = ssh;
        this.start = start;
        this.qmp = qmp;
    }

    /** Starts QEMU from the snapshot and times it to a working {@code ssh ... true}. */
    static SnapshotFloor start(
            Cache cache, Kernel kernel, GuestImage image, QemuCommand shared, Path snapshot, Duration timeout) {
        RunFolder run = RunFolder.create(cache, "floor");
        QemuProcess qemu = null;
        try {
            int port = freePort();
            Path state = run.resolve("state.qcow2");
            Files.copy(snapshot, state);
            Path knownHosts = run.resolve("known_hosts");
            Files.writeString(
                    knownHosts, "[127.0.0.1]:" + port + " " + image.hostKey().strip() + "\n");
            List<String> arguments = shared.toBuilder()
                    .name("lpt-floor")
                    .sshPort(port)
                    .qmpSocket(run.resolve("qmp.sock"))
                    .stateDrive(state)
                    .loadSnapshot(SnapshotStore.TAG)
                    .build()
                    .arguments();
            List<String> ssh = List.of(
                    "ssh",
                    "-q",
                    "-p",
                    Integer.toString(port),
                    "-i",
                    image.userPrivateKey().toString(),
                    "-o",
                    "BatchMode=yes",
                    "-o",
                    "StrictHostKeyChecking=yes",
                    "-o",
                    "UserKnownHostsFile=" + knownHosts,
                    "-o",
                    "ConnectTimeout=5",
                    "root@127.0.0.1",
                    "true");
            long begin = System.nanoTime();
            qemu = QemuProcess.launch(arguments, OutputStream.nullOutputStream(), run.path());
            run.claim(qemu.pid());
            QemuProcess started = qemu;
            Deadline.after(timeout)
                    .poll(
                            "a working 'ssh ... true' on the plain QEMU's port " + port,
                            RETRY,
                            () -> sshWorks(ssh, started) ? Optional.of(true) : Optional.empty(),
                            () -> "ssh failed");
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            Qmp qmp = Qmp.connect(run.resolve("qmp.sock"), "floor", timeout);
            return new SnapshotFloor(run, qemu, ssh, took, qmp);
        } catch (IOException | RuntimeException e) {
            if (qemu != null) {
                qemu.close();
            }
            run.delete();
            throw e instanceof WaitTimeoutException timeoutFailure
                    ? new GuestException(
                            "The floor measurement's QEMU did not answer: " + timeoutFailure.getMessage(),
                            timeoutFailure)
                    : new GuestException("Could not measure the floor: " + e.getMessage(), e);
        }
    }

    Duration startDuration() {
        return start;
    }

    /** {@code loadvm} over QMP, then {@code ssh ... true}. */
    Duration reset(Duration timeout) {
        long begin = System.nanoTime();
        try {
            qmp.human("loadvm " + SnapshotStore.TAG, timeout);
        } catch (IOException e) {
            throw new GuestException("The floor measurement's loadvm failed: " + e.getMessage(), e);
        }
        if (!sshWorks(ssh, qemu)) {
            throw new GuestException("'ssh ... true' failed on the floor measurement's QEMU after loadvm");
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    private static boolean sshWorks(List<String> ssh, QemuProcess qemu) {
        if (!qemu.isAlive()) {
            throw new GuestException(
                    "The floor measurement's QEMU exited: " + qemu.exit().describe());
        }
        return ProcessRunner.create().exec(ssh, SSH_ATTEMPT).succeeded();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        qmp.close();
        qemu.close();
        run.delete();
    }
}
