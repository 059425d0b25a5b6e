package dev.livepatch.testkit.patch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PatchSourcesTest {

    @Test
    void findsEveryPatchOfTheProjectSortedByName() {
        List<PatchSource> sources = PatchSources.scan(ProjectPatches.directory());

        assertThat(sources).extracting(PatchSource::name).containsExactlyElementsOf(ProjectPatches.ALL);
        assertThat(sources)
                .filteredOn(source -> source.kind() == PatchKind.FIXTURE)
                .extracting(PatchSource::name)
                .containsExactly("lpt_busy", "lpt_kprobe", "lpt_shadow_vars", "lpt_spin", "lpt_target");
        assertThat(sources).allSatisfy(source -> {
            assertThat(source.description()).isNotBlank();
            assertThat(source.directory()).isEqualTo(ProjectPatches.directory().resolve(source.name()));
        });
        assertThat(sources)
                .filteredOn(source -> source.name().equals("lpt_state3"))
                .singleElement()
                .satisfies(source -> assertThat(source.includes()).containsExactly("lpt_state2"));
    }

    @Test
    void selectsNamedPatchesInTheOrderGiven() {
        List<PatchSource> sources =
                PatchSources.select(ProjectPatches.directory(), List.of("lpt_target_patch", "lpt_target"));

        assertThat(sources).extracting(PatchSource::name).containsExactly("lpt_target_patch", "lpt_target");
        assertThat(PatchSources.select(ProjectPatches.directory(), List.of())).hasSize(ProjectPatches.ALL.size());
    }

    @Test
    void anUnknownNameIsRefusedListingTheAvailableOnes() {
        assertThatThrownBy(() -> PatchSources.select(ProjectPatches.directory(), List.of("lpt_cmdline", "lpt_nope")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("Unknown patch lpt_nope in " + ProjectPatches.directory() + "; available: "
                        + String.join(", ", ProjectPatches.ALL) + ".");
    }

    @Test
    void aMissingPatchesFolderSaysWhatToGive(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");

        assertThatThrownBy(() -> PatchSources.scan(missing))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The patches folder " + missing + " does not exist; give the folder that holds one"
                        + " subfolder per module with livepatch.patches.dir (-Dlivepatch.patches.dir=<dir> or"
                        + " LIVEPATCH_PATCHES_DIR), or @LivepatchTest(patches = \"<dir>\"); relative paths start"
                        + " from livepatch.project.dir.");
    }

    @Test
    void foldersWithoutManifestAreNotPatches(@TempDir Path dir) throws IOException {
        ProjectPatches.copy(dir, "lpt_cmdline");
        Files.createDirectories(dir.resolve("notes"));

        assertThat(PatchSources.scan(dir)).extracting(PatchSource::name).containsExactly("lpt_cmdline");
    }

    @Test
    void anIncludeOfAMissingPatchIsRefused(@TempDir Path dir) {
        ProjectPatches.copy(dir, "lpt_state3");

        assertThatThrownBy(() -> PatchSources.scan(dir))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("Patch lpt_state3 includes 'lpt_state2', but " + dir
                        + " has no such patch; available: lpt_state3.");
    }

    @Test
    void aManifestNeedsNameKindAndDescription(@TempDir Path dir) {
        Path folder = dir.resolve("lpt_x");

        assertThatThrownBy(() -> PatchManifest.parse(folder, properties("name=lpt_x", "kind=livepatch")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage(folder.resolve("patch.properties") + " lacks 'description'; a manifest needs name, kind"
                        + " (livepatch or fixture) and description.");
    }

    @Test
    void aManifestKindIsLivepatchOrFixture(@TempDir Path dir) {
        Path folder = dir.resolve("lpt_x");

        assertThat(PatchManifest.parse(folder, properties("name=lpt_x", "kind=Fixture", "description=d"))
                        .kind())
                .isEqualTo(PatchKind.FIXTURE);
        assertThatThrownBy(() -> PatchManifest.parse(folder, properties("name=lpt_x", "kind=patch", "description=d")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage(folder.resolve("patch.properties")
                        + ": kind 'patch' is unknown; use 'livepatch' or 'fixture'.");
    }

    @Test
    void aManifestNameMatchesItsFolderAndIsAModuleName(@TempDir Path dir) {
        Path folder = dir.resolve("lpt_x");

        assertThatThrownBy(() -> PatchManifest.parse(folder, properties("name=lpt_y", "kind=fixture", "description=d")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage(folder.resolve("patch.properties") + ": name 'lpt_y' differs from its folder 'lpt_x';"
                        + " rename the folder or the module so that both are the same.");
        assertThatThrownBy(() -> PatchManifest.parse(
                        dir.resolve("lpt-x"), properties("name=lpt-x", "kind=fixture", "description=d")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageEndingWith(
                        ": name 'lpt-x' is not a valid module name; use letters, digits and" + " underscores only.");
    }

    @Test
    void includesAreACommaSeparatedListOfOtherPatches(@TempDir Path dir) {
        Path folder = dir.resolve("lpt_x");

        assertThat(PatchManifest.parse(
                                folder, properties("name=lpt_x", "kind=livepatch", "description=d", "includes= a , b"))
                        .includes())
                .containsExactly("a", "b");
        assertThatThrownBy(() -> PatchManifest.parse(
                        folder, properties("name=lpt_x", "kind=livepatch", "description=d", "includes=lpt_x")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage(folder.resolve("patch.properties") + ": includes names 'lpt_x', which is not another"
                        + " patch folder; list sibling folder names, comma-separated.");
    }

    private static Properties properties(String... entries) {
        Properties properties = new Properties();
        for (String entry : entries) {
            properties.setProperty(entry.substring(0, entry.indexOf('=')), entry.substring(entry.indexOf('=') + 1));
        }
        return properties;
    }
}
