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
import java.util.stream.Stream;

/**
 * Remembers which cached kernel a spec resolved to, valid until the package lists it was read from change: asking
 * apt costs about a second per query, and the answer only changes when the lists are fetched again.
 */
final class KernelResolution {
    private final Path file;

    record Entry(String key, String release, KernelOrigin.DebianPackage origin) {}

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
        if (!listsStamp.equals(properties.getProperty("apt.lists"))
                || Stream.of("key", "release", "where", "package", "version")
                        .anyMatch(name -> properties.getProperty(name) == null)) {
            return Optional.empty();
        }
        return Optional.of(new Entry(
                properties.getProperty("key"),
                properties.getProperty("release"),
                new KernelOrigin.DebianPackage(
                        properties.getProperty("where"),
                        properties.getProperty("package"),
                        properties.getProperty("version"))));
    }

    /** Remembers that the spec gave {@code kernel}, held in the cache entry {@code key}. */
    void remember(String key, Kernel kernel, KernelOrigin.DebianPackage origin, String listsStamp) {
        Properties properties = new Properties();
        properties.setProperty("key", key);
        properties.setProperty("release", kernel.release());
        properties.setProperty("where", origin.where());
        properties.setProperty("package", origin.imagePackage());
        properties.setProperty("version", origin.version());
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
