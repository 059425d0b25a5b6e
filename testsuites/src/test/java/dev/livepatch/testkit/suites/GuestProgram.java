package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.builder.GuestProgramCompiler;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A helper program of the suites, from its C source beside this class ({@code guest/<name>.c}): compiled for the
 * guest's architecture and linked statically ({@link GuestProgramCompiler}), so that it runs on the guest's busybox,
 * then copied to the guest's {@code /tmp}.
 */
final class GuestProgram {
    private GuestProgram() {}

    /** Compiles and copies {@code name}; returns its path in the guest. */
    static String install(String name, Kernel kernel, GuestShell shell) {
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
            new GuestProgramCompiler(kernel, Progress.console()).compile(source, binary, "-pthread");
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
