package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.ssh.kept.SessionTranscript;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Boot snapshots: the qcow2 file holding the {@code savevm} state of a freshly booted guest, one per kernel, image,
 * QEMU version and QEMU command shape (machine, accelerator, devices, kernel arguments). Guests start from a
 * private copy of it.
 */
final class SnapshotStore {
    static final String AREA = "snapshots";
    static final String TAG = "ready";
    private static final String FILE = "state.qcow2";
    private static final String TRANSCRIPT = "ssh-session.transcript";
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    private final Cache cache;

    SnapshotStore(Cache cache) {
        this.cache = cache;
    }

    static String key(Kernel kernel, GuestImage image, QemuCommand command, String qemuVersion) {
        String facts = String.join(
                "\n",
                kernel.release(),
                kernel.source(),
                image.id(),
                qemuVersion,
                String.join(" ", command.shape()),
                SessionTranscript.FORMAT);
        return image.name() + "-" + command.machine().cpus() + "cpu-"
                + command.machine().memoryMib() + "m-"
                + command.accelerator().name().toLowerCase(Locale.ROOT) + "-"
                + Sha256.of(facts).prefix(16);
    }

    Optional<Path> find(String key) {
        return cache.find(AREA, key).map(dir -> dir.resolve(FILE)).filter(Files::isRegularFile);
    }

    /**
     * Takes the snapshot's lock, for as long as the first guest boots and saves it: another run that needs the same
     * snapshot waits, then starts from it instead of booting cold too.
     */
    EntryLock lock(String key, String what) {
        return cache.lock(AREA, key, what);
    }

    static Optional<Path> file(EntryLock lock) {
        return lock.find().map(dir -> dir.resolve(FILE)).filter(Files::isRegularFile);
    }

    /** Copies the snapshot into a guest's run folder, where QEMU may write to it. */
    void copyTo(Path snapshot, Path target) {
        try {
            Files.copy(snapshot, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new GuestException("Could not copy the boot snapshot " + snapshot + " to " + target, e);
        }
    }

    /**
     * The transcript of the SSH session kept in {@code snapshot}, if it keeps one. A damaged transcript is not
     * trusted: the guest then connects anew, and the log says why.
     */
    Optional<SessionTranscript> keptSession(Path snapshot) {
        Path transcript = snapshot.resolveSibling(TRANSCRIPT);
        if (!Files.isRegularFile(transcript)) {
            return Optional.empty();
        }
        try {
            return Optional.of(SessionTranscript.read(transcript));
        } catch (IOException e) {
            LOG.warn("Not taking up the SSH session kept in the snapshot {}: {}", snapshot, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Stores a guest's state drive (just saved with {@code savevm}) as the snapshot whose lock is held, with the
     * transcript of the SSH session it keeps.
     */
    static void store(EntryLock lock, Path stateDrive, Optional<SessionTranscript> keptSession) {
        lock.write(folder -> {
            Files.copy(stateDrive, folder.resolve(FILE));
            if (keptSession.isPresent()) {
                keptSession.get().write(folder.resolve(TRANSCRIPT));
            }
        });
    }
}
