package dev.livepatch.testkit.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.kernel.Kernel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModuleChecksTest {
    private final KernelModule livepatch = KernelModule.read(TestModules.livepatch());
    private final KernelModule plain = KernelModule.read(TestModules.plainModule());

    @Test
    void acceptsAModuleBuiltForTheTargetKernel() {
        assertThatCode(() -> ModuleChecks.requireBuiltFor(livepatch, kernel(TestModules.RELEASE)))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAModuleBuiltForAnotherKernelNamingBothReleasesAndWhatToDo() {
        assertThatThrownBy(() -> ModuleChecks.requireBuiltFor(livepatch, kernel("6.1.0-99-amd64")))
                .isInstanceOf(ModuleException.class)
                .hasMessage("Module lpt_meminfo (" + TestModules.livepatch() + ") was built for kernel "
                        + "6.1.0-56-amd64 (vermagic '6.1.0-56-amd64 SMP preempt mod_unload modversions '), but the"
                        + " target kernel is 6.1.0-99-amd64; the kernel would refuse to load it. Rebuild it against"
                        + " 6.1.0-99-amd64's headers (e.g. ./testkit build --kernel debian:6.1.0-99-amd64) or run it"
                        + " on kernel 6.1.0-56-amd64.");
    }

    @Test
    void comparesTheWholeReleaseNotAPrefix() {
        assertThatThrownBy(() -> ModuleChecks.requireBuiltFor(livepatch, "6.1.0-56"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("was built for kernel 6.1.0-56-amd64 ");
    }

    @Test
    void refusesAModuleWithoutVermagic() {
        KernelModule bare =
                new KernelModule(Path.of("bare.ko"), ModInfo.parse("name=bare\0".getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> ModuleChecks.requireBuiltFor(bare, TestModules.RELEASE))
                .isInstanceOf(ModuleException.class)
                .hasMessage("Module bare (bare.ko) has no vermagic, so the kernel would refuse it; rebuild it with"
                        + " kbuild against kernel 6.1.0-56-amd64.");
    }

    @Test
    void aLivepatchMustSayLivepatchY() {
        assertThatCode(() -> ModuleChecks.requireLivepatch(livepatch)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ModuleChecks.requireLivepatch(plain))
                .isInstanceOf(ModuleException.class)
                .hasMessage("Module lpt_target (" + TestModules.plainModule() + ") is not a livepatch: its .modinfo"
                        + " lacks livepatch=Y. Add MODULE_INFO(livepatch, \"Y\"); to its source, or load it as a"
                        + " plain module.");
    }

    @Test
    void aPlainModuleMustNotSayLivepatchY() {
        assertThatCode(() -> ModuleChecks.requirePlainModule(plain)).doesNotThrowAnyException();
        assertThatThrownBy(() -> ModuleChecks.requirePlainModule(livepatch))
                .isInstanceOf(ModuleException.class)
                .hasMessage("Module lpt_meminfo (" + TestModules.livepatch() + ") is a livepatch (livepatch=Y), not a"
                        + " plain module. Load it as a livepatch, or remove MODULE_INFO(livepatch, \"Y\") from its"
                        + " source.");
    }

    @Test
    void theModuleNameFallsBackToTheFileName() {
        KernelModule unnamed = new KernelModule(Path.of("/x/old_style.ko"), ModInfo.parse(new byte[0]));

        assertThat(unnamed.name()).isEqualTo("old_style");
        assertThat(unnamed).hasToString("old_style (/x/old_style.ko)");
    }

    private static Kernel kernel(String release) {
        return new Kernel(release, null, null, null, null, "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0", "test");
    }
}
