package dev.livepatch.testkit.cache;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cache entry, held exclusively: while it is open no other run (process or thread) makes, adopts or removes the
 * entry. Whoever waited for it calls {@link #find()} first, as the previous holder has usually just made it.
 */
@API(status = INTERNAL, since = "0.1")
public final class EntryLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EntryLock.class);

    private final Cache cache;
    private final String area;
    private final String key;
    private final String what;
    private final CacheLock lock;

    EntryLock(Cache cache, String area, String key, String what, CacheLock lock) {
        this.cache = cache;
        this.area = area;
        this.key = key;
        this.what = what;
        this.lock = lock;
    }

    /**
     * The sound entry, if present. A damaged one is removed (and reported), so that it is made again; one made
     * before entries had manifests gets its manifest now.
     */
    public Optional<Path> find() {
        Path entry = cache.entryPath(area, key);
        if (!Files.isDirectory(entry)) {
            return Optional.empty();
        }
        EntryCheck check = cache.check(area, key);
        EntryCheck.Result result = check.check(entry);
        try {
            switch (result.verdict()) {
                case SOUND:
                    return Optional.of(entry);
                case UNLISTED:
                    check.record(entry);
                    return Optional.of(entry);
                default:
                    String message = "The cached " + what + " (" + entry + ") is damaged: " + result.problem()
                            + "; it is removed and made again";
                    LOG.debug(message);
                    cache.progress().note(message);
                    remove(entry, check);
                    return Optional.empty();
            }
        } catch (IOException e) {
            throw new CacheException(
                    "Could not check or remove the cached " + what + " (" + entry + "): " + e.getMessage()
                            + ". Remove it with './testkit cache clean'.",
                    e);
        }
    }

    /** Makes the entry with {@code writer} in a temporary folder, lists it in a manifest and renames it into place. */
    public Path write(Cache.EntryWriter writer) {
        Path entry = cache.entryPath(area, key);
        Path staging = null;
        try {
            Files.createDirectories(entry.getParent());
            removeUnfinished(entry.getParent());
            staging = Files.createTempDirectory(entry.getParent(), Cache.partialPrefix(key));
            writer.write(staging);
            cache.check(area, key).record(staging);
            Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            return entry;
        } catch (IOException e) {
            Cache.deleteQuietly(staging);
            throw new CacheException("Could not write cache entry " + entry, e);
        } catch (RuntimeException | Error e) {
            Cache.deleteQuietly(staging);
            throw e;
        }
    }

    @Override
    public void close() {
        lock.close();
    }

    /** Temporary folders of this entry: while the lock is held, any there is left over from an interrupted run. */
    private void removeUnfinished(Path areaFolder) throws IOException {
        try (Stream<Path> children = Files.list(areaFolder)) {
            children.filter(child -> child.getFileName().toString().startsWith(Cache.partialPrefix(key)))
                    .forEach(Cache::deleteQuietly);
        }
    }

    private void remove(Path entry, EntryCheck check) throws IOException {
        // Renamed away first, so that the entry is gone at once even if deleting its files is interrupted.
        Path doomed = Files.createTempDirectory(entry.getParent(), Cache.damagedPrefix(key));
        Files.move(entry, doomed.resolve(key), StandardCopyOption.ATOMIC_MOVE);
        check.forget();
        Cache.deleteQuietly(doomed);
    }
}
