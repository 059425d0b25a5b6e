package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.kernel.KernelSource;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceKernelsTest {
    @TempDir
    Path folder;

    @Test
    void klpBuildNamesModulesAsItsModuleNameStringDoes() {
        assertThat(KlpBuild.defaultName(Path.of("/work/fix-cmdline.patch"))).isEqualTo("fix-cmdline");
        assertThat(KlpBuild.defaultName(Path.of("fix"))).isEqualTo("fix");
        assertThat(KlpBuild.moduleFileName("fix cmdline/v2")).isEqualTo("livepatch-fix-cmdline-v2");
        assertThat(KlpBuild.moduleFileName("x".repeat(80))).hasSize(55).startsWith("livepatch-x");
    }

    @Test
    void aDiffNeedsAKernelBuiltFromASourceTree() {
        Kernel packaged = new Kernel(
                "6.1.0-56-amd64",
                folder.resolve("vmlinuz"),
                folder.resolve("config"),
                folder,
                folder,
                "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0",
                "Debian this host's apt linux-image-6.1.0-56-amd64-unsigned 6.1.192-2");

        assertThatThrownBy(() -> SourceKernels.fromDiff(
                        packaged, Path.of("fix.patch"), DiffOptions.defaults(), new Cache(folder), Progress.silent()))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("Kernel 6.1.0-56-amd64 (Debian this host's apt linux-image-6.1.0-56-amd64"
                        + "-unsigned 6.1.192-2) was not built from a source tree by the toolkit; klp-build needs the"
                        + " tree it diffs against: use --kernel source:<tree> or source:debian:sid.");
    }

    @Test
    void kernelSpecsAreResolvedByTheSourceOfTheirKindFoundOnTheClassPath() {
        TreeKernelSource trees = new TreeKernelSource();

        assertThat(trees.supports(KernelSpec.parse("source:~/linux"))).isTrue();
        assertThat(trees.supports(KernelSpec.parse("source:debian:sid"))).isTrue();
        assertThat(trees.supports(KernelSpec.parse("debian:sid"))).isFalse();
        assertThat(ServiceLoader.load(KernelSource.class).stream()
                        .map(provider -> provider.type().getSimpleName()))
                .containsExactly("DebianKernelSource", "BuildTreeKernelSource", "TreeKernelSource");
    }

    @Test
    void aSourceTreeThatIsNotOneIsRefusedBeforeAnyBuild() {
        assertThatThrownBy(() -> Kernels.resolve(
                        KernelSpec.parse("source:" + folder), new Cache(folder.resolve("cache")), Progress.silent()))
                .isInstanceOf(KernelException.class)
                .hasMessage(folder + " is not a Linux source tree: it has no Makefile. Give --kernel source:<the top"
                        + " folder of a Linux source tree> (where 'make' is run).");
    }
}
