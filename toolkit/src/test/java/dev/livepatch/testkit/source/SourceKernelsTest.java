package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
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
    void aSourceSpecIsTold() {
        assertThat(SourceKernels.isSourceSpec("source:~/linux")).isTrue();
        assertThat(SourceKernels.isSourceSpec("debian:sid")).isFalse();
    }
}
