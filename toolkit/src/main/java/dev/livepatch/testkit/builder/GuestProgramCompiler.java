package dev.livepatch.testkit.builder;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.container.ToolchainContainer;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Compiles a C program for a kernel's guests (the kernel's selftest helpers, the suites' own), linked statically so
 * that it runs on any guest's C library: with this host's gcc for a guest of this host's architecture, else with the
 * cross gcc of the kernel's toolchain container (which carries that architecture's C library).
 */
@API(status = INTERNAL, since = "0.3")
public final class GuestProgramCompiler {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Kernel kernel;
    private final Progress progress;

    public GuestProgramCompiler(Kernel kernel, Progress progress) {
        this.kernel = kernel;
        this.progress = progress;
    }

    /** The architecture a program is compiled for, for cache keys: empty for this host's. */
    public String target() {
        return kernel.arch().isHost() ? "" : "-" + kernel.arch();
    }

    /**
     * Compiles {@code source} into {@code output}.
     *
     * @param flags more of gcc's options, e.g. {@code -pthread}
     */
    public void compile(Path source, Path output, String... flags) {
        if (kernel.arch().isHost()) {
            ProcessRunner.create().run(command("gcc", source, output, flags), TIMEOUT);
            return;
        }
        int major = KernelCompiler.parse(kernel.compiler()).major();
        ToolchainContainer container =
                ToolchainContainer.standard(new KernelCompiler("gcc", major), kernel.arch(), progress);
        // The output's folder is mounted writable; the source's, read-only, only if it is another one.
        ExecResult result = container.run(
                source.getParent().equals(output.getParent()) ? List.of() : List.of(source.getParent()),
                List.of(output.getParent()),
                output.getParent(),
                command(kernel.arch().crossGcc(major), source, output, flags),
                TIMEOUT,
                OutputStream.nullOutputStream());
        if (!result.succeeded()) {
            throw new TestkitException("Could not cross-compile the guest program " + source + " for " + kernel.arch()
                    + " (exit status " + result.exitCode() + "):\n" + result.outputTail(20));
        }
    }

    private static List<String> command(String gcc, Path source, Path output, String... flags) {
        List<String> command = new ArrayList<>(List.of(gcc, "-static", "-O2"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", output.toString(), source.toString()));
        return command;
    }
}
