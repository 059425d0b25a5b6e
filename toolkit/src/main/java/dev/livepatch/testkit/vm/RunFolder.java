package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A guest's private folder: serial log, QMP socket, state drive and the QEMU pid. It lives under the cache's
 * {@code run/} area (or the temp folder when that path is too long for a unix socket) and is deleted when the guest
 * closes. Folders left by a JVM that died without closing its guests are removed by the next start.
 */
final class RunFolder {
    static final String AREA = "run";
    private static final int MAX_SOCKET_PATH = 100;
    private static final String PID_FILE = "qemu.pid";
    private static final Duration UNCLAIMED_AGE = Duration.ofMinutes(10);

    private final Path path;

    private RunFolder(Path path) {
        this.path = path;
    }

    static RunFolder create(Cache cache, String prefix) {
        try {
            Path runs = Files.createDirectories(cache.root().resolve(AREA));
            removeStale(runs);
            Path folder = Files.createTempDirectory(runs, prefix + "-");
            if (folder.resolve("qmp.sock").toString().length() > MAX_SOCKET_PATH) {
                Files.delete(folder);
                folder = Files.createTempDirectory("lpt-" + prefix + "-");
            }
            return new RunFolder(folder);
        } catch (IOException e) {
            throw new GuestException("Could not create a run folder under " + cache.root(), e);
        }
    }

    Path path() {
        return path;
    }

    String id() {
        return path.getFileName().toString();
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    /** Records which process owns this folder, so that a later run can tell a live folder from a leftover. */
    void claim(long qemuPid) {
        try {
            Files.writeString(path.resolve(PID_FILE), Long.toString(qemuPid));
        } catch (IOException e) {
            throw new GuestException("Could not write " + path.resolve(PID_FILE), e);
        }
    }

    void delete() {
        try {
            Folders.deleteRecursively(path);
        } catch (IOException e) {
            throw new GuestException("Could not delete the run folder " + path, e);
        }
    }

    /** Deletes folders whose QEMU is gone, and unclaimed ones old enough that nobody is still starting them. */
    static void removeStale(Path runs) throws IOException {
        List<Path> folders;
        try (Stream<Path> children = Files.list(runs)) {
            folders = children.filter(Files::isDirectory).toList();
        }
        for (Path folder : folders) {
            if (isStale(folder)) {
                try {
                    Folders.deleteRecursively(folder);
                } catch (IOException ignored) {
                    // Another JVM may be removing the same leftover; nothing trusts its content.
                }
            }
        }
    }

    static boolean isStale(Path folder) {
        try {
            Path pidFile = folder.resolve(PID_FILE);
            if (!Files.exists(pidFile)) {
                return Files.getLastModifiedTime(folder)
                        .toInstant()
                        .isBefore(Instant.now().minus(UNCLAIMED_AGE));
            }
            Path cmdline = Path.of("/proc", Files.readString(pidFile).strip(), "cmdline");
            return !Files.exists(cmdline)
                    || !new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).contains(folder.toString());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
