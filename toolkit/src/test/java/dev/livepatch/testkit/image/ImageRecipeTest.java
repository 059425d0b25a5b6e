package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

        ImageRecipe debug = ImageRecipe.load(recipes, "debug");

        assertThat(debug.name()).isEqualTo("debug");
        assertThat(debug.packages()).containsExactly("busybox-static", "dropbear-bin", "kmod", "bash", "strace");
        assertThat(debug.modules()).containsExactly("virtio_pci", "virtio_net");
        assertThat(debug.kernelArguments()).isEqualTo("quiet loglevel=8 ignore_loglevel");
        assertThat(debug.overlays()).containsExactly(recipes.resolve("base/rootfs"), recipes.resolve("debug/rootfs"));
    }

    @Test
    void aRecipeWithoutParentOrRootfsHasOnlyItsOwnEntries() throws IOException {
        recipe("bare", "packages = busybox-static\n");

        ImageRecipe bare = ImageRecipe.load(recipes, "bare");

        assertThat(bare).isEqualTo(new ImageRecipe("bare", List.of("busybox-static"), List.of(), "", List.of()));
    }

    @Test
    void anUnknownRecipeListsTheAvailableOnes() throws IOException {
        recipe("minimal", "packages = busybox-static\n");
        recipe("selftest", "extends = minimal\n");
        Files.createDirectories(recipes.resolve("not-a-recipe"));

        assertThatThrownBy(() -> ImageRecipe.load(recipes, "selftests"))
                .isInstanceOf(ImageException.class)
                .hasMessage("No guest image recipe 'selftests' (" + recipes.resolve("selftests/recipe.properties")
                        + " is missing). Available: minimal, selftest");
    }

    @Test
    void anUnknownParentIsNamed() throws IOException {
        recipe("child", "extends = ghost\n");

        assertThatThrownBy(() -> ImageRecipe.load(recipes, "child"))
                .isInstanceOf(ImageException.class)
                .hasMessageStartingWith("No guest image recipe 'ghost'")
                .hasMessageEndingWith("Available: child");
    }

    @Test
    void recipesExtendingEachOtherAreRefused() throws IOException {
        recipe("first", "extends = second\n");
        recipe("second", "extends = first\n");

        assertThatThrownBy(() -> ImageRecipe.load(recipes, "first"))
                .isInstanceOf(ImageException.class)
                .hasMessage("Guest image recipes extend each other in a cycle: first -> second -> first");
    }

    @Test
    void loadsTheProjectsMinimalRecipe() {
        Path projectRecipes = projectRecipes();

        ImageRecipe minimal = ImageRecipe.load(projectRecipes, "minimal");

        assertThat(minimal.packages()).containsExactly("busybox-static", "dropbear-bin", "kmod");
        assertThat(minimal.modules()).containsExactly("virtio_pci", "virtio_net");
        assertThat(minimal.overlays()).containsExactly(projectRecipes.resolve("minimal/rootfs"));
        assertThat(minimal.overlays().get(0).resolve("etc/inittab")).isRegularFile();
    }

    @Test
    void loadsTheProjectsSelftestRecipeOnTopOfMinimal() {
        Path projectRecipes = projectRecipes();

        ImageRecipe selftest = ImageRecipe.load(projectRecipes, "selftest");

        assertThat(selftest.packages())
                .startsWith("busybox-static", "dropbear-bin", "kmod")
                .contains("bash", "coreutils", "grep", "sed", "util-linux", "procps")
                .doesNotHaveDuplicates();
        assertThat(selftest.modules()).containsExactly("virtio_pci", "virtio_net");
        assertThat(selftest.overlays()).containsExactly(projectRecipes.resolve("minimal/rootfs"));
        assertThat(ImageRecipe.available(projectRecipes)).contains("minimal", "selftest");
    }

    private void recipe(String name, String properties) throws IOException {
        Files.createDirectories(recipes.resolve(name));
        Files.writeString(recipes.resolve(name).resolve("recipe.properties"), properties);
    }

    private static Path projectRecipes() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("guest-images/minimal/recipe.properties"))) {
                return dir.resolve("guest-images");
            }
        }
        throw new IllegalStateException(
                "No guest-images folder above " + Path.of("").toAbsolutePath());
    }
}
