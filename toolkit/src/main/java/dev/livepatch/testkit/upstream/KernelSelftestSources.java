package dev.livepatch.testkit.upstream;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.deb.DebArchive;
import dev.livepatch.testkit.deb.DebPackage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apiguardian.api.API;
import org.tukaani.xz.XZInputStream;

/**
 * The kernel's own livepatch selftests for a Debian kernel, from Debian's {@code linux-source-<major.minor>} of
 * the kernel's suite: the shell scripts and helpers ({@code tools/testing/selftests/livepatch}) and their test
 * modules ({@code test_modules/} there, or {@code lib/livepatch} before Linux 6.5), unpacked once into the cache.
 */
@API(status = INTERNAL, since = "0.1")
public final class KernelSelftestSources {
    private static final List<String> WANTED = List.of("tools/testing/selftests/livepatch/", "lib/livepatch/");

    private KernelSelftestSources() {}

    /** The folder holding {@code tools/testing/selftests/livepatch} (and {@code lib/livepatch} before Linux 6.5). */
    public static Path fetch(Kernel kernel, Cache cache, Progress progress) {
        Kernels.SourcePackage source = Kernels.debianSource(kernel, cache, progress);
        String sourcePackage = source.name();
        String key = sourcePackage + "-" + source.version().replaceAll("[^A-Za-z0-9.+-]", "_");
        return cache.computeIfAbsent("selftests", key, folder -> {
            DebPackage deb = source.apt().download(List.of(sourcePackage)).get(0);
            progress.run("Unpacking the livepatch selftests from " + sourcePackage, step -> {
                Path tarball = Files.createTempDirectory(folder, "source-");
                DebArchive.extract(deb.file(), tarball, name -> name.endsWith(".tar.xz"));
                try (var files = Files.walk(tarball)) {
                    for (Path archive :
                            files.filter(f -> f.toString().endsWith(".tar.xz")).toList()) {
                        unpackWanted(archive, folder);
                    }
                }
                Folders.deleteRecursively(tarball);
            });
            if (!Files.isDirectory(folder.resolve("tools/testing/selftests/livepatch"))) {
                throw new IOException(sourcePackage + " holds no tools/testing/selftests/livepatch");
            }
        });
    }

    private static void unpackWanted(Path archive, Path target) throws IOException {
        try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                String relative = name.substring(name.indexOf('/') + 1);
                if (entry.isFile() && WANTED.stream().anyMatch(relative::startsWith)) {
                    Path file = target.resolve(relative);
                    Files.createDirectories(file.getParent());
                    Files.copy(tar, file);
                    if ((entry.getMode() & 0100) != 0) {
                        file.toFile().setExecutable(true);
                    }
                }
            }
        }
    }
}
