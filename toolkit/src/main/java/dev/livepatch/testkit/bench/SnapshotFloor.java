package dev.livepatch.testkit.bench;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.vm.GuestException;
import dev.livepatch.testkit.vm.Machine;
import dev.livepatch.testkit.vm.PlainQemu;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

    private final PlainQemu qemu;
    private final List<String> ssh;
    private final Duration start;

    private SnapshotFloor(PlainQemu qemu, List<String> ssh, Duration start) {
        this.qemu = qemu;
        this.ssh = ssh;
        this.start = start;
    }

    /** The floor's start from the snapshot and its resets, each to a working {@code ssh ... true}. */
    record Figures(Duration start, List<Duration> resets) {}

    /**
     * The floor from this kernel's and image's boot snapshot (which must exist: start a guest first): the start, then
     * {@code resets} resets.
     */
    static Figures measure(Kernel kernel, GuestImage image, Machine machine, int resets) {
        Duration timeout = Settings.BOOT_TIMEOUT.get();
        try (SnapshotFloor floor = start(kernel, image, machine, timeout)) {
            List<Duration> reset = new ArrayList<>();
            for (int i = 0; i < resets; i++) {
                reset.add(floor.reset(timeout));
            }
            return new Figures(floor.start, reset);
        }
    }

    /** Starts QEMU from the snapshot and times it to a working {@code ssh ... true}. */
    private static SnapshotFloor start(Kernel kernel, GuestImage image, Machine machine, Duration timeout) {
        int port;
        Optional<PlainQemu> copy;
        try {
            port = freePort();
            copy = PlainQemu.ofBootSnapshot(kernel, image, machine, "floor", port);
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
        PlainQemu qemu = copy.orElseThrow(() -> new GuestException("No boot snapshot of image '" + image.name()
                + "' on " + kernel.release() + " to measure the floor from: start a guest first"));
        try {
            Path knownHosts = qemu.folder().resolve("known_hosts");
            Files.writeString(
                    knownHosts, "[127.0.0.1]:" + port + " " + image.hostKey().strip() + "\n");
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
            qemu.launch();
            Deadline.after(timeout)
                    .poll(
                            "a working 'ssh ... true' on the plain QEMU's port " + port,
                            RETRY,
                            () -> sshWorks(ssh, qemu) ? Optional.of(true) : Optional.empty(),
                            () -> "ssh failed");
            Duration took = Duration.ofNanos(System.nanoTime() - begin);
            qemu.connectQmp(timeout);
            return new SnapshotFloor(qemu, ssh, took);
        } catch (IOException | RuntimeException e) {
            qemu.close();
            throw failure(e);
        }
    }

    private static GuestException failure(Exception e) {
        return e instanceof WaitTimeoutException timeoutFailure
                ? new GuestException(
                        "The floor measurement's QEMU did not answer: " + timeoutFailure.getMessage(), timeoutFailure)
                : new GuestException("Could not measure the floor: " + e.getMessage(), e);
    }

    /** {@code loadvm} over QMP, then {@code ssh ... true}. */
    private Duration reset(Duration timeout) {
        long begin = System.nanoTime();
        try {
            qemu.loadSnapshot(timeout);
        } catch (IOException e) {
            throw new GuestException("The floor measurement's loadvm failed: " + e.getMessage(), e);
        }
        if (!sshWorks(ssh, qemu)) {
            throw new GuestException("'ssh ... true' failed on the floor measurement's QEMU after loadvm");
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    private static boolean sshWorks(List<String> ssh, PlainQemu qemu) {
        Optional<String> exit = qemu.exit();
        if (exit.isPresent()) {
            throw new GuestException("The floor measurement's QEMU exited: " + exit.get());
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
        qemu.close();
    }
}
