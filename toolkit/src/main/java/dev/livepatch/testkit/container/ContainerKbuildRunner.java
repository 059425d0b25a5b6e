package dev.livepatch.testkit.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kbuild.CompilerVersions;
import dev.livepatch.testkit.kbuild.KbuildArch;
import dev.livepatch.testkit.kbuild.KbuildRunner;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Runs kbuild in a throwaway container on the toolchain image for the kernel's compiler. The kernel's
 * folders are mounted read-only and the project read-write, each at its own path, so paths in the
 * output and in error messages are the host's; the build runs as the host user, so everything it
 * writes belongs to that user; the container has no network.
 */
@API(status = INTERNAL, since = "0.1")
public final class ContainerKbuildRunner implements KbuildRunner {
    private static final Duration VERSION_TIMEOUT = Duration.ofMinutes(1);

    private final ToolchainImage images;
    private final ContainerUser user;
    private final Duration timeout;

    public ContainerKbuildRunner(ToolchainImage images, ContainerUser user, Duration timeout) {
        this.images = images;
        this.user = user;
        this.timeout = timeout;
    }

    public ContainerKbuildRunner(Progress progress) {
        this(ToolchainImage.standard(progress), ContainerUser.current(), Settings.BUILD_TIMEOUT.get());
    }

    @Override
    public String name() {
        return "container";
    }

    /** The first line of {@code <compiler> --version} in the image, as kbuild runs it; asked once per image. */
    @Override
    public String compilerVersion(Kernel kernel) {
        String image = images.imageFor(kernel);
        String program = KernelCompiler.parse(kernel.compiler()).program();
        return CompilerVersions.firstLine(
                "in the toolchain image " + image,
                program,
                command -> new ContainerRun(image, user, List.of(), List.of(), Path.of("/"))
                        .exec(command, VERSION_TIMEOUT, OutputStream.nullOutputStream()));
    }

    @Override
    public ExecResult runModules(Kernel kernel, Path projectDir, int jobs, OutputStream log) {
        String image = images.imageFor(kernel);
        Path buildDir = realPath(kernel.buildDir());
        Path project = realPath(projectDir);
        ContainerRun run = new ContainerRun(image, user, KbuildMounts.of(buildDir), List.of(project), project);
        return run.exec(KbuildArch.modulesCommand(kernel, buildDir, project, jobs), timeout, log);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new ModuleBuildException("Could not resolve " + path, e);
        }
    }
}
