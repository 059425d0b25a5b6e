package dev.livepatch.testkit.cache;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The toolkit's cache folder, shared by every run on the machine. An entry is made once, by whoever holds its lock
 * ({@link CacheLock}; others wait for it and then reuse the entry), in a temporary folder that is renamed into place
 * when complete, so nobody reads half an entry. Each entry has a manifest (sizes and SHA-256 of its files); an entry
 * that no longer matches it is removed, and made again by the next {@link #computeIfAbsent}. Locks, manifests and
 * verification stamps live under {@code .entries/}, apart from the entries' content.
 */
@API(status = INTERNAL, since = "0.1")
public final class Cache {
    private static final String META = ".entries";
    private static final String PARTIAL = ".partial-";
    private static final String DAMAGED = ".damaged-";
    private static final Set<Path> TIDIED_AREAS = ConcurrentHashMap.newKeySet();

    private final Path root;
    private final Progress progress;

    public Cache(Path root) {
        this(root, Progress.silent());
    }

    private Cache(Path root, Progress progress) {
        this.root = root.toAbsolutePath();
        this.progress = progress;
    }

    public static Cache standard() {
        return new Cache(Settings.CACHE_DIR.get());
    }

    /** The same cache, telling {@code progress} when it waits for another run or finds a damaged entry. */
    public Cache reportingTo(Progress notes) {
        return new Cache(root, notes);
    }

    public Path root() {
        return root;
    }

    /** The folder of a complete, sound entry, if present; a damaged one is removed and reported. */
    public Optional<Path> find(String area, String key) {
        Path entry = entryPath(area, key);
        if (!Files.isDirectory(entry)) {
            return Optional.empty();
        }
        if (check(area, key).check(entry).verdict() == EntryCheck.Verdict.SOUND) {
            return Optional.of(entry);
        }
        try (EntryLock lock = lock(area, key, area + " entry " + key)) {
            return lock.find();
        }
    }

    /** Returns the complete entry, producing it first through {@code writer} into a temporary folder. */
    public Path computeIfAbsent(String area, String key, EntryWriter writer) {
        return computeIfAbsent(area, key, area + " entry " + key, writer);
    }

    /**
     * Like {@link #computeIfAbsent(String, String, EntryWriter)}; {@code what} names the entry in messages, e.g.
     * "kernel 6.1.0-56-amd64".
     */
    public Path computeIfAbsent(String area, String key, String what, EntryWriter writer) {
        Optional<Path> existing = find(area, key);
        if (existing.isPresent()) {
            return existing.get();
        }
        try (EntryLock lock = lock(area, key, what)) {
            return lock.find().orElseGet(() -> lock.write(writer));
        }
    }

    /**
     * Takes the entry's lock, waiting up to {@link Settings#CACHE_LOCK_TIMEOUT} for another run that holds it; the
     * first use of an area in this process also removes what interrupted runs left there.
     */
    public EntryLock lock(String area, String key, String what) {
        Path areaFolder = root.resolve(area);
        if (TIDIED_AREAS.add(areaFolder)) {
            removeLeftovers(area);
        }
        CacheLock lock = CacheLock.acquire(lockFile(area, key), what, progress, Settings.CACHE_LOCK_TIMEOUT.get());
        return new EntryLock(this, area, key, what, lock);
    }

    public Path entryPath(String area, String key) {
        return root.resolve(area).resolve(key);
    }

    /** Removes everything in the cache. */
    public void clean() {
        try {
            Folders.deleteRecursively(root);
        } catch (IOException e) {
            throw new CacheException("Could not empty the cache " + root, e);
        }
    }

    /**
     * Deletes the temporary folders that interrupted runs left in {@code area}: those of damaged entries, and
     * unfinished ones whose entry's lock is free (a folder being written by a live run is kept, as its writer holds
     * the lock).
     */
    public void removeLeftovers(String area) {
        Path dir = root.resolve(area);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.toList()) {
                String name = child.getFileName().toString();
                int partial = name.lastIndexOf(PARTIAL);
                if (name.startsWith(".") && name.contains(DAMAGED)) {
                    deleteQuietly(child);
                } else if (name.startsWith(".") && partial > 0) {
                    String key = name.substring(1, partial);
                    CacheLock.tryAcquire(lockFile(area, key)).ifPresent(free -> {
                        try (free) {
                            deleteQuietly(child);
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new CacheException("Could not list " + dir, e);
        }
    }

    EntryCheck check(String area, String key) {
        Path meta = root.resolve(META).resolve(area);
        return new EntryCheck(meta.resolve(key + ".manifest"), meta.resolve(key + ".verified"));
    }

    Progress progress() {
        return progress;
    }

    private Path lockFile(String area, String key) {
        return root.resolve(META).resolve(area).resolve(key + ".lock");
    }

    static String partialPrefix(String key) {
        return "." + key + PARTIAL;
    }

    static String damagedPrefix(String key) {
        return "." + key + DAMAGED;
    }

    static void deleteQuietly(Path path) {
        try {
            Folders.deleteRecursively(path);
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: a leftover temporary folder is never trusted as an entry, and the next run retries.
        }
    }

    /** Produces an entry's content in the given (empty, temporary) folder. */
    @FunctionalInterface
    public interface EntryWriter {
        void write(Path folder) throws IOException;
    }
}
