package dev.livepatch.testkit.suites;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A helper program of the suites, from its C source beside this class ({@code guest/<name>.c}): compiled with this
 * host's gcc and linked statically, so that it runs on the guest's busybox, then copied to the guest's {@code /tmp}.
 */
final class GuestProgram {
    private static final Duration COMPILE = Duration.ofMinutes(2);

    private GuestProgram() {}

    /** Compiles and copies {@code name}; returns its path in the guest. Skips the test on another architecture. */
    static String install(String name, Kernel kernel, GuestShell shell) {
        assumeTrue(
                kernel.arch().isHost(),
                "the helper program " + name + " is compiled for this host's architecture, not " + kernel.arch());
        Path folder = null;
        try {
            folder = Files.createTempDirectory("lpt-" + name);
            Path source = folder.resolve(name + ".c");
            try (InputStream in = GuestProgram.class.getResourceAsStream("guest/" + name + ".c")) {
                if (in == null) {
                    throw new IllegalArgumentException("No source guest/" + name + ".c beside " + GuestProgram.class);
                }
                Files.copy(in, source);
            }
            Path binary = folder.resolve(name);
            ProcessRunner.create()
                    .run(
                            List.of("gcc", "-static", "-O2", "-pthread", "-o", binary.toString(), source.toString()),
                            COMPILE);
            String remote = "/tmp/" + name;
            shell.upload(binary, remote);
            return remote;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not compile the helper program " + name, e);
        } finally {
            if (folder != null) {
                deleteQuietly(folder);
            }
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            Folders.deleteRecursively(folder);
        } catch (IOException e) {
            // A temporary folder left behind costs a megabyte; the test's outcome does not depend on it.
        }
    }
}
