package dev.livepatch.testkit.cache;

import dev.livepatch.testkit.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The toolkit's cache folder. Entries are folders written under a temporary name and renamed into
 * place when complete, so an interrupted run never leaves a half entry that a later run trusts.
 */
public final class Cache {
    private final Path root;

    public Cache(Path root) {
        this.root = root.toAbsolutePath();
    }

    public static Cache standard() {
        return new Cache(Settings.CACHE_DIR.get());
    }

    public Path root() {
        return root;
    }

    /** The folder of a complete entry, if present. */
    public Optional<Path> find(String area, String key) {
        Path entry = entryPath(area, key);
        return Files.isDirectory(entry) ? Optional.of(entry) : Optional.empty();
    }

    /** Returns the complete entry, producing it first through {@code writer} into a temporary folder. */
    public Path computeIfAbsent(String area, String key, EntryWriter writer) {
        Optional<Path> existing = find(area, key);
        if (existing.isPresent()) {
            return existing.get();
        }
        Path entry = entryPath(area, key);
        Path staging = null;
        try {
            Files.createDirectories(entry.getParent());
            staging = Files.createTempDirectory(entry.getParent(), "." + key + ".partial-");
            writer.write(staging);
            try {
                Files.move(staging, entry, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(entry)) {
                    throw e;
                }
                // Another process completed the same entry first (rename(2) gives ENOTEMPTY); theirs is as good.
                deleteRecursively(staging);
            }
            return entry;
        } catch (IOException e) {
            deleteQuietly(staging);
            throw new UncheckedIOException("Could not write cache entry " + entry, e);
        } catch (RuntimeException | Error e) {
            deleteQuietly(staging);
            throw e;
        }
    }

    public Path entryPath(String area, String key) {
        return root.resolve(area).resolve(key);
    }

    /** Removes everything in the cache. */
    public void clean() {
        try {
            deleteRecursively(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not empty the cache " + root, e);
        }
    }

    /** Deletes stale temporary folders that interrupted runs left in {@code area}. */
    public void removeLeftovers(String area) {
        Path dir = root.resolve(area);
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(p -> p.getFileName().toString().contains(".partial-"))
                    .forEach(Cache::deleteQuietly);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void deleteRecursively(Path path) throws IOException {
        if (path == null || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }

    static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException ignored) {
            // Best effort: a leftover temporary folder is never trusted as an entry.
        }
    }

    /** Produces an entry's content in the given (empty, temporary) folder. */
    @FunctionalInterface
    public interface EntryWriter {
        void write(Path folder) throws IOException;
    }
}
