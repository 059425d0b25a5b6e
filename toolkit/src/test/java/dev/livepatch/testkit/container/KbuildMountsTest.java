package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KbuildMountsTest {

    @Test
    void followsDebiansSymlinksAndTheCommonHeadersIncludedRelativeToTheMakefile(@TempDir Path root) throws IOException {
        Path amd64 = debianLayout(
                root,
                "include $(dir $(realpath $(lastword $(MAKEFILE_LIST))))../"
                        + "linux-headers-6.1.0-56-common/Makefile\n");
        Path usr = root.toRealPath().resolve("usr");

        assertThat(KbuildMounts.of(amd64))
                .containsExactly(
                        usr.resolve("lib/linux-kbuild-6.1/scripts"),
                        usr.resolve("lib/linux-kbuild-6.1/tools"),
                        amd64,
                        usr.resolve("src/linux-headers-6.1.0-56-common"));
    }

    @Test
    void followsAnAbsoluteInclude(@TempDir Path root) throws IOException {
        Path common = root.toRealPath().resolve("usr/src/linux-headers-6.1.0-56-common");
        Path amd64 = debianLayout(root, "include " + common.resolve("Makefile") + "\n");

        assertThat(KbuildMounts.of(amd64)).contains(common);
    }

    @Test
    void aSelfContainedBuildTreeIsOneMount(@TempDir Path root) throws IOException {
        Path tree = Files.createDirectories(root.toRealPath().resolve("linux"));
        Files.createDirectories(tree.resolve("scripts"));
        Files.writeString(tree.resolve("Makefile"), "include $(srctree)/scripts/Kbuild.include\n");
        Files.createSymbolicLink(tree.resolve("source"), Path.of("."));

        assertThat(KbuildMounts.of(tree)).containsExactly(tree);
    }

    @Test
    void reachesTheBuildTreeThroughASymlinkAndIgnoresDanglingReferences(@TempDir Path root) throws IOException {
        Path tree = Files.createDirectories(root.toRealPath().resolve("headers"));
        Files.writeString(tree.resolve("Makefile"), "-include /nonexistent/Makefile\n");
        Files.createSymbolicLink(tree.resolve("source"), Path.of("/nonexistent/source"));
        Path build = Files.createSymbolicLink(root.resolve("build"), tree);

        assertThat(KbuildMounts.of(build)).containsExactly(tree);
    }

    @Test
    void aMissingBuildFolderIsNamed(@TempDir Path root) {
        Path missing = root.resolve("no-such-build");

        assertThatThrownBy(() -> KbuildMounts.of(missing))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The kernel build folder " + missing + " does not exist");
    }

    private static Path debianLayout(Path root, String headersMakefile) throws IOException {
        Path usr = root.toRealPath().resolve("usr");
        Path kbuild = Files.createDirectories(usr.resolve("lib/linux-kbuild-6.1"));
        Files.createDirectories(kbuild.resolve("scripts"));
        Files.createDirectories(kbuild.resolve("tools"));
        Path common = Files.createDirectories(usr.resolve("src/linux-headers-6.1.0-56-common"));
        Files.writeString(common.resolve("Makefile"), "VERSION = 6\n");
        Files.createSymbolicLink(common.resolve("scripts"), Path.of("../../lib/linux-kbuild-6.1/scripts"));
        Path amd64 = Files.createDirectories(usr.resolve("src/linux-headers-6.1.0-56-amd64"));
        Files.writeString(amd64.resolve("Makefile"), headersMakefile);
        Files.createSymbolicLink(amd64.resolve("scripts"), Path.of("../../lib/linux-kbuild-6.1/scripts"));
        Files.createSymbolicLink(amd64.resolve("tools"), Path.of("../../lib/linux-kbuild-6.1/tools"));
        return amd64;
    }
}
