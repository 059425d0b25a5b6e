package dev.livepatch.testkit.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Runs one command at a time in a throwaway container on the toolchain image of a gcc major version: what a whole
 * kernel tree build and {@code klp-build} run. Folders are mounted at their own paths; the command runs as the host
 * user, without network.
 */
@API(status = INTERNAL, since = "0.1")
public final class ToolchainContainer {
    private final ToolchainImage images;
    private final ContainerUser user;
    private final KernelCompiler compiler;
    private final Arch target;

    public ToolchainContainer(ToolchainImage images, ContainerUser user, KernelCompiler compiler, Arch target) {
        this.images = images;
        this.user = user;
        this.compiler = compiler;
        this.target = target;
    }

    public static ToolchainContainer standard(KernelCompiler compiler, Progress progress) {
        return standard(compiler, Arch.host(), progress);
    }

    /** The container of {@code compiler}, with its cross compiler for {@code target} when that is not this host. */
    public static ToolchainContainer standard(KernelCompiler compiler, Arch target, Progress progress) {
        return new ToolchainContainer(ToolchainImage.standard(progress), ContainerUser.current(), compiler, target);
    }

    /** Why no container can run here for this compiler; empty when one can. */
    public Optional<String> problem() {
        return images.problem(compiler, target);
    }

    /** Describes the toolchain, e.g. {@code gcc-16 in a container (livepatch-testkit/toolchain:...)}. */
    public String describe() {
        return "gcc-" + compiler.major() + " in a container";
    }

    /** Runs {@code command} in {@code workingDirectory}, which must be one of the writable folders or inside one. */
    public ExecResult run(
            List<Path> readOnlyFolders,
            List<Path> writableFolders,
            Path workingDirectory,
            List<String> command,
            Duration timeout,
            OutputStream log) {
        String image = images.imageFor(compiler, target);
        return new ContainerRun(image, user, readOnlyFolders, writableFolders, workingDirectory)
                .exec(command, timeout, log);
    }
}
