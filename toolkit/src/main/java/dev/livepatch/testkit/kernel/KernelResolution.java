package dev.livepatch.testkit.kernel;

import dev.livepatch.testkit.cache.Cache;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Remembers which cached kernel a spec resolved to, valid until the package lists it was read from change: asking
 * apt costs about a second per query, and the answer only changes when the lists are fetched again.
 */
final class KernelResolution {
    private final Path file;

    record Entry(String key, String release, String source) {}

    KernelResolution(Cache cache, String spec) {
        this.file = cache.root().resolve("kernels").resolve("resolved-" + spec + ".properties");
    }

    Optional<Entry> recall(String listsStamp) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!listsStamp.equals(properties.getProperty("apt.lists"))) {
            return Optional.empty();
        }
        return Optional.of(new Entry(
                properties.getProperty("key"), properties.getProperty("release"), properties.getProperty("source")));
    }

    /** Remembers that the spec gave {@code kernel}, held in the cache entry {@code key}. */
    void remember(String key, Kernel kernel, String listsStamp) {
        Properties properties = new Properties();
        properties.setProperty("key", key);
        properties.setProperty("release", kernel.release());
        properties.setProperty("source", kernel.source());
        properties.setProperty("apt.lists", listsStamp);
        try {
            Path temporary = Files.createTempFile(file.getParent(), ".resolved-", ".tmp");
            try (OutputStream out = Files.newOutputStream(temporary)) {
                properties.store(out, "kernel spec resolution");
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // Only an optimisation: the next run asks apt again.
        }
    }
}
