package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianRootfsTest {
    private static final ToolchainRecipe BOOKWORM = ToolchainRecipe.forCompiler(new KernelCompiler("gcc-12", 12));

    @Test
    void usesTheHostsDebianSourcesWhenTheHostRunsTheSameRelease(@TempDir Path etc) throws IOException {
        Files.writeString(etc.resolve("os-release"), "ID=debian\nVERSION_CODENAME=bookworm\n");
        write(etc.resolve("apt/sources.list"), "# deb http://example.org/debian bookworm main\n");
        Path debianSources = write(
                etc.resolve("apt/sources.list.d/debian.sources"),
                "Types: deb\nURIs: http://mirror.example/debian\nSuites: bookworm bookworm-updates\n");
        write(etc.resolve("apt/sources.list.d/other.sources"), "Suites: bookworm\n");

        DebianRootfs rootfs = new DebianRootfs(ProcessRunner.create(), Duration.ofMinutes(1), etc, onPath(""));

        assertThat(rootfs.sourcesFor("bookworm")).containsExactly(debianSources.toString());
    }

    @Test
    void takesAnotherReleaseFromTheHostsDebianArchive(@TempDir Path etc) throws IOException {
        Files.writeString(etc.resolve("os-release"), "VERSION_CODENAME=\"bookworm\"\n");
        write(etc.resolve("apt/sources.list"), "deb http://deb.debian.org/debian bookworm main\n");

        DebianRootfs rootfs = new DebianRootfs(ProcessRunner.create(), Duration.ofMinutes(1), etc, onPath(""));

        assertThat(rootfs.sourcesFor("bookworm"))
                .containsExactly(etc.resolve("apt/sources.list").toString());
        assertThat(rootfs.sourcesFor("sid")).containsExactly("deb http://deb.debian.org/debian sid main");
    }

    @Test
    void saysWhichPackageToInstallWhenMmdebstrapIsMissing(@TempDir Path folder) throws IOException {
        Path emptyBin = Files.createDirectories(folder.resolve("bin"));
        DebianRootfs rootfs =
                new DebianRootfs(ProcessRunner.create(), Duration.ofMinutes(1), folder, onPath(emptyBin.toString()));
        Path tar = folder.resolve("rootfs.tar");

        assertThatThrownBy(() -> rootfs.bootstrap(BOOKWORM, tar))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("Building the toolchain image needs mmdebstrap, which is not installed: install it with"
                        + " 'sudo apt-get install mmdebstrap', or use the native builder");
        assertThat(tar).doesNotExist();
    }

    @Test
    void aFailedBootstrapSaysWhatItWasBuildingAndWhy(@TempDir Path folder) throws IOException {
        Path bin = Files.createDirectories(folder.resolve("bin"));
        Path fake = write(bin.resolve("mmdebstrap"), "#!/bin/sh\necho \"E: cannot reach the archive\" >&2\nexit 1\n");
        fake.toFile().setExecutable(true);
        DebianRootfs rootfs =
                new DebianRootfs(ProcessRunner.create(), Duration.ofMinutes(1), folder, onPath(bin.toString()));

        assertThatThrownBy(() -> rootfs.bootstrap(BOOKWORM, folder.resolve("rootfs.tar")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("Could not bootstrap Debian bookworm with gcc-12 for the toolchain image:")
                .hasMessageContaining("E: cannot reach the archive");
    }

    private static HostPrograms onPath(String searchPath) {
        return HostPrograms.declared().onSearchPath(searchPath);
    }

    private static Path write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
