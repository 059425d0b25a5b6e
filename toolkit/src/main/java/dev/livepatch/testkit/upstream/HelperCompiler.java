package dev.livepatch.testkit.upstream;

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
import java.util.List;

/**
 * Compiles a selftest helper program for the guest, linked statically so that it runs on any guest's C library: with
 * this host's gcc for a guest of this host's architecture, else with the cross gcc of the kernel's toolchain
 * container (which carries that architecture's C library).
 */
final class HelperCompiler {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final Kernel kernel;
    private final Progress progress;

    HelperCompiler(Kernel kernel, Progress progress) {
        this.kernel = kernel;
        this.progress = progress;
    }

    /** The architecture a helper is compiled for, for cache keys: empty for this host's. */
    String target() {
        return kernel.arch().isHost() ? "" : "-" + kernel.arch();
    }

    void compile(Path source, Path output) {
        if (kernel.arch().isHost()) {
            ProcessRunner.create()
                    .run(List.of("gcc", "-static", "-O2", "-o", output.toString(), source.toString()), TIMEOUT);
            return;
        }
        int major = KernelCompiler.parse(kernel.compiler()).major();
        ToolchainContainer container =
                ToolchainContainer.standard(new KernelCompiler("gcc", major), kernel.arch(), progress);
        ExecResult result = container.run(
                List.of(source.getParent()),
                List.of(output.getParent()),
                output.getParent(),
                List.of(kernel.arch().crossGcc(major), "-static", "-O2", "-o", output.toString(), source.toString()),
                TIMEOUT,
                OutputStream.nullOutputStream());
        if (!result.succeeded()) {
            throw new TestkitException("Could not cross-compile the selftest helper " + source + " for " + kernel.arch()
                    + " (exit status " + result.exitCode() + "):\n" + result.outputTail(20));
        }
    }
}
