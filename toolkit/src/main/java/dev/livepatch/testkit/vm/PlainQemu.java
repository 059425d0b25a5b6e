package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A copy of a guest's boot snapshot in a plain QEMU process, as a person would run it by hand: the guests' own command
 * line, running at once (nothing waits for a kept session), the guest's SSH port forwarded from a given loopback port,
 * QMP on a socket, and none of the guest machinery around it (no SSH client, no kept session, no console log).
 */
@API(status = INTERNAL, since = "0.2")
public final class PlainQemu implements AutoCloseable {
    private final RunFolder run;
    private final String name;
    private final List<String> arguments;
    private QemuProcess process;
    private Qmp qmp;

    private PlainQemu(RunFolder run, String name, List<String> arguments) {
        this.run = run;
        this.name = name;
        this.arguments = arguments;
    }

    /**
     * Copies the boot snapshot of this kernel, image and machine into a run folder named after {@code name}; empty
     * when no guest has saved that snapshot yet. QEMU starts on {@link #launch()}.
     */
    public static Optional<PlainQemu> ofBootSnapshot(
            Kernel kernel, GuestImage image, Machine machine, String name, int sshPort) throws IOException {
        Cache cache = Cache.standard();
        Accelerator accelerator = Guests.accelerator(cache, Progress.silent());
        QemuCommand shared = new GuestLauncher(cache, Guests.qemuVersion(kernel.arch()))
                .command(kernel, image, machine, accelerator);
        Optional<Path> snapshot = new SnapshotStore(cache)
                .find(SnapshotStore.key(kernel, image, shared, Guests.qemuVersion(kernel.arch())));
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        RunFolder run = RunFolder.create(cache, name);
        try {
            Path state = run.resolve("state.qcow2");
            Files.copy(snapshot.get(), state);
            List<String> arguments = shared.toBuilder()
                    .name("lpt-" + name)
                    .sshPort(sshPort)
                    .qmpSocket(run.resolve("qmp.sock"))
                    .stateDrive(state)
                    .loadSnapshot(SnapshotStore.TAG)
                    .build()
                    .arguments();
            return Optional.of(new PlainQemu(run, name, arguments));
        } catch (IOException | RuntimeException e) {
            run.delete();
            throw e;
        }
    }

    /** The folder of this QEMU's files, removed on {@link #close()}. */
    public Path folder() {
        return run.path();
    }

    /** Starts QEMU, which restores the snapshot and runs; returns without waiting for the guest. */
    public void launch() {
        process = QemuProcess.launch(arguments, OutputStream.nullOutputStream(), run.path());
        run.claim(process.pid());
    }

    /** How QEMU ended, once it has. */
    public Optional<String> exit() {
        return process.isAlive() ? Optional.empty() : Optional.of(process.exit().describe());
    }

    /** Connects to QEMU's QMP socket, which exists once QEMU runs. */
    public void connectQmp(Duration timeout) throws IOException {
        qmp = Qmp.connect(run.resolve("qmp.sock"), name, timeout);
    }

    /** Restores the boot snapshot again: {@code loadvm} over QMP (connected first). */
    public void loadSnapshot(Duration timeout) throws IOException {
        qmp.human("loadvm " + SnapshotStore.TAG, timeout);
    }

    @Override
    public void close() {
        if (qmp != null) {
            qmp.close();
        }
        if (process != null) {
            process.close();
        }
        run.delete();
    }
}
