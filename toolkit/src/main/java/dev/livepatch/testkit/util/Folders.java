package dev.livepatch.testkit.util;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/** Removing what the toolkit wrote: cache entries, unpacked trees, run folders, leftovers of interrupted runs. */
@API(status = INTERNAL, since = "0.3")
public final class Folders {
    private Folders() {}

    /**
     * Deletes {@code path} and, for a folder, everything in it, deepest first; nothing when it is not there (or is
     * {@code null}). A symbolic link is deleted, not followed.
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (path == null || !Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                Files.deleteIfExists(p);
            }
        }
    }
}
