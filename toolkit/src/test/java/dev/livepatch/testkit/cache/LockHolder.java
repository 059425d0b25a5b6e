package dev.livepatch.testkit.cache;

import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** Another process holding a cache lock: takes it, says so, and keeps it until its standard input ends. */
final class LockHolder {
    private LockHolder() {}

    public static void main(String[] arguments) throws IOException {
        try (CacheLock lock =
                CacheLock.acquire(Path.of(arguments[0]), "a test", Progress.silent(), Duration.ofMinutes(1))) {
            System.out.println("locked");
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
