package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.patch.ModuleBuildException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ToolchainRecipeTest {
    private static final ToolchainRecipe BOOKWORM = ToolchainRecipe.forCompiler(new KernelCompiler("gcc-12", 12));

    @Test
    void picksTheDebianReleaseWhoseCompilerBuiltTheKernel() {
        assertThat(BOOKWORM.debianRelease()).isEqualTo("bookworm");
        assertThat(BOOKWORM.packages())
                .containsExactly(
                        "gcc",
                        "gcc-12",
                        "make",
                        "libc6-dev",
                        "libelf-dev",
                        "bc",
                        "bison",
                        "flex",
                        "libssl-dev",
                        "libxxhash-dev",
                        "patchutils",
                        "gawk",
                        "kmod",
                        "cpio",
                        "openssl",
                        "xz-utils",
                        "zstd",
                        "python3");
        assertThat(ToolchainRecipe.forCompiler(new KernelCompiler("gcc", 10)).debianRelease())
                .isEqualTo("bullseye");
        assertThat(ToolchainRecipe.forCompiler(new KernelCompiler("gcc-14", 14)).debianRelease())
                .isEqualTo("trixie");
    }

    @Test
    void experimentalsKernelIsBuiltInSidsToolchainAsItsCompilerIsSids() {
        // CONFIG_CC_VERSION_TEXT of Debian experimental's 7.3 kernel; experimental itself ships no gcc.
        ToolchainRecipe recipe =
                ToolchainRecipe.forCompiler(KernelCompiler.parse("x86_64-linux-gnu-gcc-16 (Debian 16.2.0-3) 16.2.0"));

        assertThat(recipe.debianRelease()).isEqualTo("sid");
        assertThat(recipe.packages()).contains("gcc-16", "dwarves");
        assertThat(recipe.hash())
                .isEqualTo(ToolchainRecipe.forCompiler(
                                KernelCompiler.parse("x86_64-linux-gnu-gcc-16 (Debian 16.2.0-4) 16.2.0"))
                        .hash());
    }

    @Test
    void tagsBothImagesByAStableHashOfTheRecipe() {
        assertThat(BOOKWORM.hash()).matches("[0-9a-f]{16}");
        assertThat(ToolchainRecipe.forCompiler(new KernelCompiler("gcc", 12)).hash())
                .isEqualTo(BOOKWORM.hash());
        assertThat(BOOKWORM.baseImage()).isEqualTo("livepatch-testkit/toolchain-rootfs:" + BOOKWORM.hash());
        assertThat(BOOKWORM.image()).isEqualTo("livepatch-testkit/toolchain:" + BOOKWORM.hash());
    }

    @Test
    void keepsTheTagOfImagesBuiltBefore() {
        assertThat(new ToolchainRecipe("bookworm", 12, Arch.X86_64, List.of("gcc-12", "make")).hash())
                .isEqualTo("06b1458ac626366a");
    }

    @Test
    void anotherArchitectureAddsTheReleasesCrossCompilerOfTheKernelsVersion() {
        ToolchainRecipe arm64 = ToolchainRecipe.forCompiler(new KernelCompiler("gcc", 16), Arch.ARM64);

        assertThat(arm64.debianRelease()).isEqualTo("sid");
        assertThat(arm64.packages())
                .contains("gcc-16", "gcc-16-aarch64-linux-gnu", "gcc-aarch64-linux-gnu", "libc6-dev-arm64-cross");
        assertThat(arm64.describe()).isEqualTo("Debian sid with gcc-16 and aarch64-linux-gnu-gcc-16");
        assertThat(arm64.hash())
                .isNotEqualTo(ToolchainRecipe.forCompiler(new KernelCompiler("gcc", 16), Arch.X86_64)
                        .hash());
    }

    @Test
    void anyChangeToTheRecipeChangesTheHash() {
        ToolchainRecipe otherRelease = new ToolchainRecipe("trixie", 12, Arch.X86_64, BOOKWORM.packages());
        ToolchainRecipe morePackages = new ToolchainRecipe("bookworm", 12, Arch.X86_64, append(BOOKWORM, "perl"));
        ToolchainRecipe otherCompiler = ToolchainRecipe.forCompiler(new KernelCompiler("gcc", 10));

        assertThat(otherRelease.hash()).isNotEqualTo(BOOKWORM.hash());
        assertThat(morePackages.hash()).isNotEqualTo(BOOKWORM.hash());
        assertThat(otherCompiler.hash()).isNotEqualTo(BOOKWORM.hash());
    }

    @Test
    void refusesACompilerNoDebianReleaseProvides() {
        assertThatThrownBy(() -> ToolchainRecipe.forCompiler(new KernelCompiler("gcc-13", 13)))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The kernel was built by gcc 13, but the container builder has Debian toolchains only"
                        + " for gcc 10 (bullseye), 12 (bookworm), 14 (trixie), 16 (sid); use the native builder"
                        + " with gcc 13 installed");
    }

    @Test
    void describesItselfForProgressMessages() {
        assertThat(BOOKWORM.describe()).isEqualTo("Debian bookworm with gcc-12");
    }

    private static List<String> append(ToolchainRecipe recipe, String extra) {
        List<String> packages = new ArrayList<>(recipe.packages());
        packages.add(extra);
        return packages;
    }
}
