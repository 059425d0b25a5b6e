package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRecipeTest {
    @TempDir
    Path recipes;

    @Test
    void extendsMergesParentFirstWithoutDuplicates() throws IOException {
        recipe("base", "packages = busybox-static dropbear-bin\nmodules = virtio_pci\nkernel.arguments = quiet\n");
        Files.createDirectories(recipes.resolve("base/rootfs/etc"));
        recipe("tools", "extends = base\npackages = kmod,\\\n  dropbear-bin bash\nmodules = virtio_net virtio_pci\n");
        recipe("debug", "extends = tools\npackages = strace\nkernel.arguments = loglevel=8 ignore_loglevel\n");
        Files.createDirectories(recipes.resolve("debug/rootfs"));

        ImageRecipe debug = ImageRecipe.load(List.of(recipes), "debug");

        assertThat(debug.name()).isEqualTo("debug");
        assertThat(debug.packages()).containsExactly("busybox-static", "dropbear-bin", "kmod", "bash", "strace");
        assertThat(debug.modules()).containsExactly("virtio_pci", "virtio_net");
        assertThat(debug.kernelArguments()).isEqualTo("quiet loglevel=8 ignore_loglevel");
        assertThat(debug.overlays()).containsExactly(recipes.resolve("base/rootfs"), recipes.resolve("debug/rootfs"));
    }

    @Test
    void aRecipeWithoutParentOrRootfsHasOnlyItsOwnEntries() throws IOException {
        recipe("bare", "packages = busybox-static\n");

        ImageRecipe bare = ImageRecipe.load(List.of(recipes), "bare");

        assertThat(bare).isEqualTo(new ImageRecipe("bare", List.of("busybox-static"), List.of(), "", List.of()));
    }

    @Test
    void anUnknownRecipeListsTheAvailableOnes() throws IOException {
        recipe("minimal", "packages = busybox-static\n");
        recipe("selftest", "extends = minimal\n");
        Files.createDirectories(recipes.resolve("not-a-recipe"));

        assertThatThrownBy(() -> ImageRecipe.load(List.of(recipes), "selftests"))
                .isInstanceOf(ImageException.class)
                .hasMessage("No guest image recipe 'selftests' in " + recipes + ". Available: minimal, selftest. A"
                        + " recipe is a folder <name>/ with a recipe.properties; give the folder of your own recipes"
                        + " with livepatch.images.dir.");
    }

    @Test
    void anUnknownParentIsNamed() throws IOException {
        recipe("child", "extends = ghost\n");

        assertThatThrownBy(() -> ImageRecipe.load(List.of(recipes), "child"))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("No guest image recipe 'ghost'")
                .hasMessageContaining("Available: child.");
    }

    @Test
    void recipesExtendingEachOtherAreRefused() throws IOException {
        recipe("first", "extends = second\n");
        recipe("second", "extends = first\n");

        assertThatThrownBy(() -> ImageRecipe.load(List.of(recipes), "first"))
                .isInstanceOf(ImageException.class)
                .hasMessage("Guest image recipes extend each other in a cycle: first -> second -> first");
    }

    @Test
    void loadsTheToolkitsOwnMinimalRecipeWithItsExecutableRc() {
        Path bundled = BundledRecipes.folder(new Cache(recipes.resolve("cache")));

        ImageRecipe minimal = ImageRecipe.load(List.of(recipes.resolve("none"), bundled), "minimal");

        assertThat(minimal.packages()).containsExactly("busybox-static", "dropbear-bin", "kmod", "klibc-utils");
        assertThat(minimal.modules()).containsExactly("virtio_pci?", "virtio_net", "virtio_console?");
        assertThat(minimal.overlays()).containsExactly(bundled.resolve("minimal/rootfs"));
        assertThat(minimal.overlays().get(0).resolve("etc/inittab")).isRegularFile();
        assertThat(minimal.overlays().get(0).resolve("etc/testkit/rc")).isExecutable();
        assertThat(minimal.overlays().get(0).resolve("etc/testkit/ssh-port")).isExecutable();
        assertThat(Files.isExecutable(minimal.overlays().get(0).resolve("etc/inittab")))
                .isFalse();
        assertThat(BundledRecipes.folder(new Cache(recipes.resolve("cache")))).isEqualTo(bundled);
    }

    @Test
    void aProjectRecipeOverridesTheToolkitsAndTheToolkitsStillServeAsParents() throws IOException {
        Path bundled = BundledRecipes.folder(new Cache(recipes.resolve("cache")));
        Path project = Files.createDirectories(recipes.resolve("project"));
        Files.createDirectories(project.resolve("minimal"));
        Files.writeString(project.resolve("minimal/recipe.properties"), "packages = busybox-static dropbear-bin\n");
        Files.createDirectories(project.resolve("debug"));
        Files.writeString(project.resolve("debug/recipe.properties"), "extends = selftest\npackages = strace\n");

        ImageRecipe debug = ImageRecipe.load(List.of(project, bundled), "debug");

        assertThat(debug.packages())
                .startsWith("busybox-static", "dropbear-bin", "bash")
                .doesNotContain("kmod")
                .endsWith("strace");
        assertThat(ImageRecipe.available(List.of(project, bundled))).isEqualTo("debug, minimal, selftest");
    }

    private void recipe(String name, String properties) throws IOException {
        Files.createDirectories(recipes.resolve(name));
        Files.writeString(recipes.resolve(name).resolve("recipe.properties"), properties);
    }
}
