package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.patch.LivepatchSamples;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.testcontainers.DockerClientFactory;

@Tag("docker")
class ContainerKbuildRunnerIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private static Kernel kernel;
    private static ContainerKbuildRunner runner;

    @BeforeAll
    static void engineAndHeaders() {
        DockerPrerequisite.requireEngine();
        kernel = Kernels.resolve("debian", Cache.standard(), Progress.console());
        runner = new ContainerKbuildRunner(
                ToolchainImage.standard(Progress.console()), ContainerUser.current(), TIMEOUT);
    }

    @Test
    void buildsALivepatchAgainstDebianHeadersAsTheHostUser(@TempDir Path project) throws IOException {
        LivepatchSamples.write(project, "cmdline-patch", LivepatchSamples.CMDLINE_PATCH);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ExecResult result = runner.runModules(kernel, project, 2, log);

        Path module = project.toRealPath().resolve("cmdline-patch.ko");
        assertThat(result.exitCode()).as(log.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(result.command())
                .isEqualTo("make -C " + kernel.buildDir().toRealPath() + " M=" + project.toRealPath() + " -j2 modules");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("LD [M]  " + module);
        assertThat(Files.getAttribute(module, "unix:uid"))
                .isEqualTo(ContainerUser.current().uid());
        assertThat(Files.getAttribute(module, "unix:gid"))
                .isEqualTo(ContainerUser.current().gid());
        assertThat(new String(Files.readAllBytes(module), StandardCharsets.ISO_8859_1))
                .contains("livepatch=Y")
                .contains("vermagic=" + kernel.release() + " ");
    }

    @Test
    void writesAsTheUserItIsGiven(@TempDir Path scratch) throws IOException {
        if (ContainerUser.current().uid() != 0) {
            throw new TestAbortedException("Handing the project folder to another user needs root");
        }
        ContainerUser other = new ContainerUser(4242, 4343);
        Kernel readableByOthers = copyHeaders(kernel, scratch.resolve("kernel"));
        Path project = Files.createDirectories(scratch.resolve("project"));
        LivepatchSamples.write(project, "cmdline-patch", LivepatchSamples.CMDLINE_PATCH);
        try (Stream<Path> files = Files.walk(scratch)) {
            for (Path folder : files.filter(Files::isDirectory).toList()) {
                Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        try (Stream<Path> files = Files.walk(project)) {
            for (Path file : files.toList()) {
                Files.setAttribute(file, "unix:uid", other.uid());
                Files.setAttribute(file, "unix:gid", other.gid());
            }
        }
        ContainerKbuildRunner asOther =
                new ContainerKbuildRunner(ToolchainImage.standard(Progress.silent()), other, TIMEOUT);

        ExecResult result = asOther.runModules(readableByOthers, project, 1, ByteArrayOutputStream.nullOutputStream());

        assertThat(result.exitCode()).as(result.outputTail(20)).isZero();
        Path module = project.resolve("cmdline-patch.ko");
        assertThat(Files.getAttribute(module, "unix:uid")).isEqualTo(4242);
        assertThat(Files.getAttribute(module, "unix:gid")).isEqualTo(4343);
    }

    @Test
    void aCompileErrorReturnsNonZeroWithGccsFileAndLine(@TempDir Path project) throws IOException {
        LivepatchSamples.write(project, "broken", LivepatchSamples.BROKEN);
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ExecResult result = runner.runModules(kernel, project, 2, log);

        String source = project.toRealPath().resolve("broken.c").toString();
        assertThat(result.exitCode()).isNotZero();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .containsPattern(Pattern.quote(source + ":5:") + "\\d+: error: .no_such_symbol. undeclared");
        assertThat(result.stderr()).contains(source + ":5:");
        assertThat(project.resolve("broken.ko")).doesNotExist();
    }

    @Test
    void reportsTheCompilerAsKbuildRunsIt() {
        String version = runner.compilerVersion(kernel);

        assertThat(version).startsWith("gcc-12 (Debian 12.2.0");
        assertThat(KernelCompiler.parse(version)).isEqualTo(KernelCompiler.parse(kernel.compiler()));
    }

    @Test
    void reusesTheToolchainImageOnTheNextRun() {
        String image = ToolchainImage.standard(Progress.silent()).imageFor(kernel);
        DockerClient docker = DockerClientFactory.instance().client();
        String id = docker.inspectImageCmd(image).exec().getId();
        RecordingProgress progress = new RecordingProgress();

        String again = ToolchainImage.standard(progress).imageFor(kernel);

        assertThat(again).isEqualTo(image);
        assertThat(progress.steps).isEmpty();
        assertThat(docker.inspectImageCmd(again).exec().getId()).isEqualTo(id);
        assertThat(docker.inspectImageCmd(again).exec().getConfig().getLabels())
                .containsEntry(
                        ToolchainImage.RECIPE_LABEL,
                        "Debian bookworm with gcc-12: gcc gcc-12 make libc6-dev libelf-dev bc bison flex libssl-dev"
                                + " libxxhash-dev patchutils gawk kmod cpio openssl xz-utils zstd python3");
    }

    /** The kernel's headers and kbuild folders, copied as they are to where any user may read them. */
    private static Kernel copyHeaders(Kernel kernel, Path target) throws IOException {
        Path root = kernel.buildDir().toRealPath().getParent().getParent().getParent();
        Path usr = Files.createDirectories(target.resolve("usr"));
        ProcessRunner.create()
                .run(
                        List.of(
                                "cp",
                                "-a",
                                root.resolve("usr/src").toString(),
                                root.resolve("usr/lib").toString(),
                                usr.toString()),
                        Duration.ofMinutes(1));
        Path buildDir =
                target.resolve(root.relativize(kernel.buildDir().toRealPath()).toString());
        return new Kernel(
                kernel.release(),
                kernel.image(),
                kernel.config(),
                kernel.modulesDir(),
                buildDir,
                kernel.compiler(),
                kernel.source());
    }

    private static final class RecordingProgress implements Progress {
        private final List<String> steps = new CopyOnWriteArrayList<>();

        @Override
        public Step start(String what) {
            steps.add(what);
            return Progress.silent().start(what);
        }

        @Override
        public void note(String message) {
            steps.add(message);
        }
    }
}
