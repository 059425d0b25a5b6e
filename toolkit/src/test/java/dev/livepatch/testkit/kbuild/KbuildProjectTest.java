package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.patch.ProjectPatches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KbuildProjectTest {
    @TempDir
    Path dir;

    @Test
    void stagesAllModulesIntoOneProjectWithOneKbuildListingThem() throws IOException {
        List<PatchSource> modules = PatchSources.select(ProjectPatches.directory(), List.of("lpt_cmdline", "lpt_busy"));

        KbuildProject project = KbuildProject.stage(dir.resolve("project"), modules);

        Path root = dir.resolve("project").toRealPath();
        assertThat(project.root()).isEqualTo(root);
        assertThat(Files.readString(root.resolve("Kbuild"))).isEqualTo("obj-m += lpt_cmdline/\nobj-m += lpt_busy/\n");
        assertThat(Files.readString(root.resolve("lpt_cmdline/Kbuild"))).isEqualTo("obj-m += lpt_cmdline.o\n");
        assertThat(root.resolve("lpt_cmdline/lpt_cmdline.c"))
                .hasSameTextualContentAs(ProjectPatches.directory().resolve("lpt_cmdline/lpt_cmdline.c"));
        assertThat(root.resolve("lpt_busy/lpt_busy.c")).exists();
        assertThat(project.moduleFile(modules.get(1))).isEqualTo(root.resolve("lpt_busy/lpt_busy.ko"));
    }

    @Test
    void copiesIncludedPatchesWithoutBuildingThem() throws IOException {
        List<PatchSource> modules = PatchSources.select(ProjectPatches.directory(), List.of("lpt_state3"));

        KbuildProject project = KbuildProject.stage(dir.resolve("project"), modules);

        assertThat(Files.readString(project.root().resolve("Kbuild"))).isEqualTo("obj-m += lpt_state3/\n");
        assertThat(project.root().resolve("lpt_state2/lpt_state2.c")).exists();
        assertThat(project.root().resolve("lpt_state2/Kbuild")).doesNotExist();
    }

    @Test
    void mapsStagedPathsBackToThePatchesOwnFiles() throws IOException {
        List<PatchSource> modules = PatchSources.select(ProjectPatches.directory(), List.of("lpt_state3"));
        KbuildProject project = KbuildProject.stage(dir.resolve("project"), modules);
        Path root = project.root();

        assertThat(project.original(root.resolve("lpt_state3/../lpt_state2/lpt_state2.c")))
                .isEqualTo(ProjectPatches.directory().resolve("lpt_state2/lpt_state2.c"));
        assertThat(project.original(root.resolve("lpt_state3/lpt_state3.c")))
                .isEqualTo(ProjectPatches.directory().resolve("lpt_state3/lpt_state3.c"));
        assertThat(project.original(Path.of("/usr/include/linux/module.h")))
                .isEqualTo(Path.of("/usr/include/linux/module.h"));
        assertThat(project.original(root.resolve("Kbuild"))).isEqualTo(root.resolve("Kbuild"));
        assertThat(project.withOriginalPaths(
                        "ERROR: modpost: \"x\" [" + root + "/lpt_state3/lpt_state3.ko] undefined!"))
                .isEqualTo("ERROR: modpost: \"x\" [" + ProjectPatches.directory() + "/lpt_state3/lpt_state3.ko]"
                        + " undefined!");
    }

    @Test
    void linksSeveralSourcesUnderTheModulesName() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("patches/lpt_multi"));
        Files.writeString(folder.resolve("main.c"), "");
        Files.writeString(folder.resolve("helpers.c"), "");
        Files.writeString(folder.resolve("helpers.h"), "");
        PatchSource source = new PatchSource("lpt_multi", PatchKind.FIXTURE, "d", folder);

        assertThat(KbuildProject.moduleKbuild(source))
                .isEqualTo("obj-m += lpt_multi.o\nlpt_multi-y := helpers.o main.o\n");
    }

    @Test
    void refusesSeveralSourcesWhenOneHasTheModulesName() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("patches/lpt_multi"));
        Files.writeString(folder.resolve("lpt_multi.c"), "");
        Files.writeString(folder.resolve("helpers.c"), "");
        PatchSource source = new PatchSource("lpt_multi", PatchKind.FIXTURE, "d", folder);

        assertThatThrownBy(() -> KbuildProject.moduleKbuild(source))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("Patch lpt_multi has several source files and one of them is named lpt_multi.c, which"
                        + " kbuild cannot link into a module of the same name; rename that file.");
    }

    @Test
    void refusesAPatchWithoutSources() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("patches/lpt_empty"));
        PatchSource source = new PatchSource("lpt_empty", PatchKind.FIXTURE, "d", folder);

        assertThatThrownBy(() -> KbuildProject.moduleKbuild(source))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("Patch lpt_empty has no .c or .S file in " + folder + "; add the module's source there.");
    }
}
