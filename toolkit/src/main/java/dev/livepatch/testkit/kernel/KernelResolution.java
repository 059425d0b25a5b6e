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
 * Remembers which cached kernel a spec resolved to, valid until apt's package lists change: asking apt
 * costs about a second per query, and the answer only changes after {@code apt-get update}.
 */
final class KernelResolution {
    private static final Path APT_LISTS = Path.of("/var/lib/apt/lists");

    private final Path file;

    record Entry(String key, String release, String source) {}

    KernelResolution(Cache cache, String spec) {
        this.file = cache.root().resolve("kernels").resolve("resolved-" + spec + ".properties");
    }

    Optional<Entry> recall() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (!aptListsStamp().equals(properties.getProperty("apt.lists"))) {
            return Optional.empty();
        }
        return Optional.of(new Entry(
                properties.getProperty("key"), properties.getProperty("release"), properties.getProperty("source")));
    }

    void remember(Kernel kernel) {
        Properties properties = new Properties();
        properties.setProperty(
                "key", kernel.image().getParent().getParent().getFileName().toString());
        properties.setProperty("release", kernel.release());
        properties.setProperty("source", kernel.source());
        properties.setProperty("apt.lists", aptListsStamp());
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

    private static String aptListsStamp() {
        try {
            return Long.toString(Files.getLastModifiedTime(APT_LISTS).toMillis());
        } catch (IOException e) {
            return "none";
        }
    }
}
