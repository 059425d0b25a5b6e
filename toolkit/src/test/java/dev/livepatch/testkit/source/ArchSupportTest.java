package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.kernel.KernelOrigin;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchSupportTest {
    @TempDir
    Path folder;

    @Test
    void klpBuildIsRefusedForAnyArchitectureButX8664() {
        assertThatCode(() -> ArchSupport.requireKlpBuild(Arch.X86_64)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ArchSupport.requireKlpBuild(Arch.ARM64))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("klp-build supports x86_64 only (no other architecture selects HAVE_KLP_BUILD),"
                        + " so a livepatch cannot be made from a source diff for arm64. Write the livepatch as a"
                        + " module folder instead");
    }

    @Test
    void aDiffForAKernelOfAnotherArchitectureIsRefusedBeforeKlpBuildRuns() throws IOException {
        Path config = Files.writeString(folder.resolve("config"), "CONFIG_ARM64=y\nCONFIG_LIVEPATCH=y\n");
        Kernel arm64 = new Kernel(
                "7.2.13",
                folder.resolve("Image"),
                config,
                folder,
                folder,
                "aarch64-linux-gnu-gcc (Debian 16.2.0-3cross1) 16.2.0",
                new KernelOrigin.SourceBuild(folder, "a tree", "0123"));

        assertThatThrownBy(() -> SourceKernels.fromDiff(
                        arm64, Path.of("fix.patch"), DiffOptions.defaults(), new Cache(folder), Progress.silent()))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("klp-build supports x86_64 only");
    }

    @Test
    void aTreeWhoseArchitectureKconfigDoesNotOfferLivepatchIsRefusedQuotingWhatIsMissing() throws IOException {
        Files.createDirectories(folder.resolve("arch/arm64"));
        Files.writeString(
                folder.resolve("arch/arm64/Kconfig"),
                "config ARM64\n\tdef_bool y\n\tselect HAVE_RELIABLE_STACKTRACE\n\t# select HAVE_LIVEPATCH\n");

        assertThatThrownBy(() -> ArchSupport.requireLivepatch(folder, "Debian trixie linux-source-6.12", Arch.ARM64))
                .isInstanceOf(KernelException.class)
                .hasMessage("The tree Debian trixie linux-source-6.12 cannot livepatch arm64: its arch/arm64/Kconfig"
                        + " lacks 'select HAVE_LIVEPATCH'. Its Linux does not offer livepatching on arm64; use a tree"
                        + " whose arch/arm64/Kconfig selects them (Debian's newest, --kernel source:debian:sid).");
    }

    @Test
    void aTreeWhoseKconfigSelectsBothIsAccepted() throws IOException {
        Files.createDirectories(folder.resolve("arch/arm64"));
        Files.writeString(
                folder.resolve("arch/arm64/Kconfig"),
                "config ARM64\n\tselect HAVE_LIVEPATCH\n\tselect HAVE_RELIABLE_STACKTRACE\n");

        assertThatCode(() -> ArchSupport.requireLivepatch(folder, "a tree", Arch.ARM64))
                .doesNotThrowAnyException();
    }

    @Test
    void aPackagedDebianKernelOfAnotherArchitectureIsRefusedBeforeAnyDownload() {
        assertThatThrownBy(() -> Kernels.resolve(
                        KernelSpec.parse("debian:trixie"), Arch.ARM64, new Cache(folder), Progress.silent()))
                .isInstanceOf(KernelException.class)
                .hasMessage("Debian's packaged kernels cannot be livepatched on arm64: livepatch is off"
                        + " (CONFIG_LIVEPATCH is not set) in Debian's kernel configuration for arm64, as for every"
                        + " architecture but amd64. Build Debian's kernel source for arm64 instead: --arch arm64"
                        + " --kernel source:debian:trixie (source:debian:<suite> works for a suite whose kernel offers"
                        + " livepatch on arm64).");
        assertThatThrownBy(() ->
                        Kernels.resolve(KernelSpec.parse("debian"), Arch.S390X, new Cache(folder), Progress.silent()))
                .hasMessageContaining("for s390x, as for every architecture but amd64")
                .hasMessageContaining("--arch s390x --kernel source:debian:sid");
        assertThat(folder.resolve("debs")).doesNotExist();
    }

    @Test
    void aTreeConfiguredForAnotherArchitectureIsRefused() throws IOException {
        for (String file : new String[] {"Makefile", "Kconfig", "arch/x86/Kconfig", "scripts/kconfig"}) {
            Files.createDirectories(folder.resolve(file).getParent());
            Files.writeString(folder.resolve(file), "");
        }
        Files.writeString(folder.resolve(".config"), "CONFIG_X86_64=y\n");

        assertThatThrownBy(() -> Kernels.resolve(
                        KernelSpec.parse("source:" + folder), Arch.ARM64, new Cache(folder), Progress.silent()))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("is configured and built for x86_64, not arm64: a tree builds in place, for one"
                        + " architecture at a time.");
    }
}
