package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShells;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;

/** Starts guests: from the boot snapshot when there is one, otherwise with a cold boot that saves it. */
public final class Guests {
    private static volatile String qemuVersion;

    private Guests() {}

    public static Guest start(Kernel kernel, GuestImage image, Machine machine, Progress progress) {
        return start(kernel, image, machine, progress, false);
    }

    /** Boots without using or saving a snapshot (to measure a cold boot). */
    static Guest bootCold(Kernel kernel, GuestImage image, Machine machine, Progress progress) {
        return start(kernel, image, machine, progress, true);
    }

    private static Guest start(Kernel kernel, GuestImage image, Machine machine, Progress progress, boolean cold) {
        GuestShells.prepareInBackground();
        Cache cache = Cache.standard();
        Accelerator accelerator = new AcceleratorProbe(cache, progress).choose();
        SnapshotStore snapshots = new SnapshotStore(cache);
        String key = SnapshotStore.key(kernel, image, machine, accelerator, qemuVersion());
        String what = !cold && snapshots.find(key).isPresent()
                ? "Starting guest from its boot snapshot"
                : "Booting " + kernel.release() + " with image '" + image.name() + "' (" + accelerator
                        + "; later starts use a snapshot)";
        try (Progress.Step step = progress.start(what)) {
            return QemuGuest.start(kernel, image, machine, accelerator, snapshots, key, cold, cache);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String qemuVersion() {
        if (qemuVersion == null) {
            qemuVersion = ProcessRunner.create()
                    .run(List.of(QemuCommand.BINARY, "--version"), Duration.ofSeconds(10))
                    .stdout()
                    .lines()
                    .findFirst()
                    .orElse("unknown");
        }
        return qemuVersion;
    }
}
