package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.livepatch.FakeKernel;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.SshTarget;
import dev.livepatch.testkit.util.Folders;
import dev.livepatch.testkit.vm.Accelerator;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.GuestDiedException;
import dev.livepatch.testkit.vm.GuestHungException;
import dev.livepatch.testkit.vm.Machine;
import dev.livepatch.testkit.vm.StartMode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link Guest} test double over a {@link FakeKernel}; counts resets and closes. */
public final class FakeGuest implements Guest {
    private final String id;
    private final FakeKernel kernel;
    private final Machine machine;
    final AtomicInteger resets = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    private final AtomicBoolean killed = new AtomicBoolean();
    private final AtomicBoolean withoutSnapshot = new AtomicBoolean();
    private final AtomicBoolean hungBeyondReset = new AtomicBoolean();

    FakeGuest(String id, FakeKernel kernel, Machine machine) {
        this.id = id;
        this.kernel = kernel;
        this.machine = machine;
    }

    public FakeKernel kernel() {
        return kernel;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public GuestShell shell() {
        return kernel.shell();
    }

    @Override
    public void reset() {
        if (killed.get()) {
            throw new GuestDiedException("fake guest " + id + " was killed");
        }
        resets.incrementAndGet();
        if (hungBeyondReset.get()) {
            throw new GuestHungException(
                    "Guest " + id + " did not answer after its reset to the boot snapshot (fake)", null);
        }
    }

    /** As a guest whose QEMU holds it hung: a reset restores the snapshot, and the guest still does not answer. */
    void hangBeyondReset() {
        hungBeyondReset.set(true);
    }

    @Override
    public boolean canReset() {
        return !withoutSnapshot.get();
    }

    /** As a guest booted without saving a boot snapshot, where snapshots do not work. */
    void bootedWithoutSnapshot() {
        withoutSnapshot.set(true);
    }

    /** As a killed QEMU: the guest is no longer running, though nobody closed it. */
    void kill() {
        killed.set(true);
    }

    @Override
    public SshTarget sshTarget() {
        return new SshTarget("127.0.0.1", 2222, "root", Path.of("id_ed25519"), "ssh-ed25519 AAAA");
    }

    @Override
    public Path serialLog() {
        return kernel.root().resolve("serial.log");
    }

    @Override
    public String serialTail(int lines) {
        return "fake serial: guest ready";
    }

    @Override
    public Optional<String> crash() {
        return Optional.empty();
    }

    @Override
    public StartMode startMode() {
        return StartMode.SNAPSHOT;
    }

    @Override
    public Duration startDuration() {
        return Duration.ofMillis(1);
    }

    @Override
    public Accelerator accelerator() {
        return Accelerator.TCG;
    }

    @Override
    public Machine machine() {
        return machine;
    }

    @Override
    public boolean isRunning() {
        return closes.get() == 0 && !killed.get();
    }

    @Override
    public void close() {
        closes.incrementAndGet();
        FakeGuestProvider.CLOSE_ORDER.add(id);
        try {
            Folders.deleteRecursively(kernel.root().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
