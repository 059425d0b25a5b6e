package dev.livepatch.testkit.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.container.ContainerKbuildRunner;
import dev.livepatch.testkit.container.ContainerUser;
import dev.livepatch.testkit.container.DebianRootfs;
import dev.livepatch.testkit.container.DockerEngine;
import dev.livepatch.testkit.container.ToolchainImage;
import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.kbuild.FakeKbuildRunner;
import dev.livepatch.testkit.kbuild.KbuildPrerequisite;
import dev.livepatch.testkit.kbuild.NativeKbuildRunner;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoModuleBuilderTest {
    @TempDir
    Path dir;

    private final List<String> notes = new ArrayList<>();

    private final Progress progress = Progress.notesTo(notes::add);

    private AutoModuleBuilder builder() {
        URI noEngine = URI.create("unix://" + dir.resolve("no-docker.sock"));
        ToolchainImage images = new ToolchainImage(
                progress,
                new DebianRootfs(
                        ProcessRunner.create(),
                        Duration.ofMinutes(1),
                        dir,
                        HostPrograms.declared().onSearchPath("")),
                new DockerEngine(noEngine, Duration.ofSeconds(1)),
                ProcessRunner.create(),
                new Cache(dir));
        NativeKbuildRunner nativeRunner = new NativeKbuildRunner(ProcessRunner.create(), Duration.ofMinutes(1));
        ContainerKbuildRunner containerRunner =
                new ContainerKbuildRunner(images, ContainerUser.current(), Duration.ofMinutes(1));
        return new AutoModuleBuilder(images, nativeRunner, containerRunner, new Cache(dir), progress, 1);
    }

    private static Kernel kernel(String compiler) {
        return new Kernel("6.1.0-56-amd64", null, null, null, Path.of("/nonexistent"), compiler, "test kernel");
    }

    @Test
    void aHostWithTheKernelsCompilerBuildsNativelyAndSaysWhyInOneLine() {
        KbuildPrerequisite.requireProgram("gcc-12");
        AutoModuleBuilder auto = builder();

        ModuleBuilder chosen = auto.builderFor(kernel(FakeKbuildRunner.COMPILER));

        assertThat(chosen.backend()).isEqualTo("native");
        assertThat(notes)
                .containsExactly("Building modules for 6.1.0-56-amd64 on this host (--builder auto: it has the kernel's"
                        + " compiler, gcc-12)");
        auto.builderFor(kernel(FakeKbuildRunner.COMPILER));
        assertThat(notes).hasSize(1);
    }

    @Test
    void whenNeitherBackendCanBuildTheErrorGivesBothReasons() {
        AutoModuleBuilder auto = builder();

        assertThatThrownBy(() -> auto.builderFor(kernel("gcc-99 (Debian 99.1.0-1) 99.1.0")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("No module builder can build for kernel 6.1.0-56-amd64.\n- native: The kernel's"
                        + " compiler gcc-99 is not installed on this host")
                .hasMessageContaining("\n- container: no Docker engine at unix://");
    }
}
