package dev.livepatch.testkit.build;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * The host release's Debian kernel headers ({@code linux-headers-amd64}'s dependency), downloaded with
 * apt-get and unpacked into the cache: a real kernel build folder to build modules against.
 */
final class DebianKernelHeaders {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private DebianKernelHeaders() {}

    static Kernel unpack(Cache cache) {
        ProcessRunner processes = ProcessRunner.create();
        String headers = processes
                .run(List.of("apt-cache", "depends", "linux-headers-amd64"), TIMEOUT)
                .stdout()
                .lines()
                .map(String::trim)
                .filter(line -> line.startsWith("Depends: linux-headers-"))
                .map(line -> line.substring("Depends: ".length()))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("linux-headers-amd64 names no headers package"));
        String release = headers.substring("linux-headers-".length());
        String common = headers.replaceFirst("-amd64$", "-common");
        String kbuild = "linux-kbuild-" + release.replaceFirst("^(\\d+\\.\\d+).*$", "$1");
        Path entry = cache.computeIfAbsent("test-kernel-headers", release, folder -> {
            Path debs = Files.createDirectories(folder.resolve("debs"));
            processes.inDirectory(debs).run(List.of("apt-get", "download", headers, common, kbuild), TIMEOUT);
            try (Stream<Path> files = Files.list(debs)) {
                for (Path deb : files.toList()) {
                    processes.run(
                            List.of(
                                    "dpkg-deb",
                                    "-x",
                                    deb.toString(),
                                    folder.resolve("root").toString()),
                            TIMEOUT);
                }
            }
            Cache.deleteRecursively(debs);
        });
        Path root = entry.resolve("root");
        Path buildDir = root.resolve("usr/src/" + headers);
        pointIncludeAt(buildDir.resolve("Makefile"), root);
        return new Kernel(
                release, null, buildDir.resolve(".config"), null, buildDir, compiler(buildDir), "debian " + headers);
    }

    /** The headers' Makefile includes the common headers by absolute path; make it point into {@code root}. */
    private static void pointIncludeAt(Path makefile, Path root) {
        try {
            String text = Files.readString(makefile);
            String fixed = text.replaceAll("(?m)^include .*?/usr/src/", "include " + root + "/usr/src/");
            if (!fixed.equals(text)) {
                Files.writeString(makefile, fixed);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String compiler(Path buildDir) {
        try (Stream<String> lines = Files.lines(buildDir.resolve(".config"))) {
            return lines.filter(line -> line.startsWith("CONFIG_CC_VERSION_TEXT="))
                    .map(line ->
                            line.substring("CONFIG_CC_VERSION_TEXT=".length()).replace("\"", ""))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("No CONFIG_CC_VERSION_TEXT in " + buildDir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
