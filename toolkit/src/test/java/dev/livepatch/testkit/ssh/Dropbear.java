package dev.livepatch.testkit.ssh;

import static org.assertj.core.api.Assertions.fail;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.deb.DebArchive;
import dev.livepatch.testkit.deb.DebException;
import dev.livepatch.testkit.deb.DebPackage;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.opentest4j.TestAbortedException;

/**
 * Debian's dropbear (the guests' SSH server), fetched with {@code apt-get download} into the cache and run from
 * there on 127.0.0.1. Dropbear reads {@code authorized_keys} from the user's home in {@code /etc/passwd}, so the
 * server runs in a private mount namespace where a test passwd file gives root a temporary home.
 */
public final class Dropbear implements AutoCloseable {
    private static final List<String> PACKAGES = List.of("dropbear-bin", "libtomcrypt1", "libtommath1");
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final SshTarget target;
    private final Path log;

    private Dropbear(Process process, SshTarget target, Path log) {
        this.process = process;
        this.target = target;
        this.log = log;
    }

    /** The unpacked packages ({@code usr/sbin/dropbear}, {@code usr/bin/dropbearkey}, libraries). */
    public static Path install() {
        Cache cache = Cache.standard();
        List<DebPackage> debs;
        try {
            debs = Apt.ofHost(cache, Progress.silent()).download(PACKAGES);
        } catch (DebException | ProcessFailedException e) {
            throw unavailable("apt could not provide " + PACKAGES + ": " + e.getMessage());
        }
        String key = debs.stream()
                .map(deb -> deb.name() + "_" + deb.version())
                .collect(Collectors.joining("+"))
                .replaceAll("[^A-Za-z0-9._+-]", "_");
        return cache.computeIfAbsent("test-tools", key, folder -> {
            for (DebPackage deb : debs) {
                DebArchive.extract(deb.file(), folder, name -> name.startsWith("usr/"));
            }
        });
    }

    /** Runs {@code dropbearkey} from the unpacked packages. */
    public static ExecResult dropbearkey(Path installation, String... arguments) {
        List<String> command = new ArrayList<>(
                List.of(installation.resolve("usr/bin/dropbearkey").toString()));
        command.addAll(List.of(arguments));
        return ProcessRunner.create().withEnvironment(libraries(installation)).run(command, TOOL_TIMEOUT);
    }

    /**
     * Starts {@code dropbear} with the host key on a free loopback port; root logs in with {@code userKey}, whose
     * public line {@code authorizedKey} goes into the temporary home's {@code authorized_keys}.
     */
    /** Debian's dropbear, installed, with fresh host and user keys under {@code folder}, serving on a free port. */
    public static Dropbear startWithFreshKeys(Path folder, SshKeys.HostKey hostKey) throws IOException {
        Path userKey = folder.resolve("client/id_ed25519");
        String authorizedKey = SshKeys.generateUserKey(userKey, "livepatch-testkit");
        return start(install(), folder.resolve("server"), hostKey, userKey, authorizedKey);
    }

    public static Dropbear start(
            Path installation, Path folder, SshKeys.HostKey hostKey, Path userKey, String authorizedKey)
            throws IOException {
        requireMountNamespaces();
        Files.createDirectories(folder);
        Path hostKeyFile = writePrivate(folder.resolve("dropbear_ed25519_host_key"), hostKey.dropbearKeyFile());
        Path home = Files.createDirectories(folder.resolve("home"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(home.resolve(".ssh"));
        writePrivate(home.resolve(".ssh/authorized_keys"), (authorizedKey + "\n").getBytes(StandardCharsets.US_ASCII));
        Path passwd = folder.resolve("passwd");
        Files.writeString(passwd, "root:x:0:0:root:" + home + ":/bin/sh\n");
        int port = freePort();
        Path log = folder.resolve("dropbear.log");
        ProcessBuilder builder = new ProcessBuilder(
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount --bind \"$0\" /etc/passwd && exec \"$@\"",
                        passwd.toString(),
                        installation.resolve("usr/sbin/dropbear").toString(),
                        "-F",
                        "-E",
                        "-s",
                        "-P",
                        folder.resolve("dropbear.pid").toString(),
                        "-p",
                        "127.0.0.1:" + port,
                        "-r",
                        hostKeyFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(libraries(installation));
        Process process = builder.start();
        SshTarget target = new SshTarget("127.0.0.1", port, "root", userKey, hostKey.publicKey());
        Dropbear dropbear = new Dropbear(process, target, log);
        dropbear.awaitListening();
        return dropbear;
    }

    public SshTarget target() {
        return target;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void awaitListening() {
        String[] lastError = {"no attempt yet"};
        Deadline.after(Duration.ofSeconds(10))
                .poll(
                        "dropbear on " + target.host() + ":" + target.port(),
                        Duration.ofMillis(20),
                        () -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("dropbear exited: " + log());
                            }
                            try (GuestShell probe = GuestShells.connect(target, Duration.ofSeconds(2))) {
                                return Optional.of(probe.run("true", Duration.ofSeconds(2)));
                            } catch (SshException e) {
                                lastError[0] = e.getMessage();
                                return Optional.empty();
                            }
                        },
                        () -> lastError[0] + "\n" + log());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> libraries(Path installation) {
        return Map.of(
                "LD_LIBRARY_PATH",
                installation.resolve("usr/lib/x86_64-linux-gnu").toString());
    }

    private static void requireMountNamespaces() {
        try {
            ProcessRunner.create().run(List.of("unshare", "--mount", "--propagation", "private", "true"), TOOL_TIMEOUT);
        } catch (ProcessFailedException e) {
            throw unavailable("running dropbear with a test home needs 'unshare --mount' (root), which failed: "
                    + e.getMessage());
        }
    }

    private static TestAbortedException unavailable(String problem) {
        if (Settings.prerequisitesRequired()) {
            fail("The real-dropbear tests are required (CI or livepatch.require=true), but " + problem);
        }
        return new TestAbortedException("Skipped: " + problem);
    }

    private static Path writePrivate(Path file, byte[] content) throws IOException {
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
