package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.patch.ModuleBuildException;
import org.junit.jupiter.api.Test;

class KernelCompilerTest {

    @Test
    void readsTheProgramAndMajorVersionOfDebiansCompiler() {
        assertThat(KernelCompiler.parse("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0"))
                .isEqualTo(new KernelCompiler("gcc-12", 12));
    }

    @Test
    void readsTheTargetTripletDebiansNewerKernelsName() {
        assertThat(KernelCompiler.parse("x86_64-linux-gnu-gcc-16 (Debian 16.2.0-4) 16.2.0"))
                .isEqualTo(new KernelCompiler("x86_64-linux-gnu-gcc-16", 16));
    }

    @Test
    void readsAnUnversionedProgramName() {
        assertThat(KernelCompiler.parse("gcc (GCC) 13.2.1 20230801")).isEqualTo(new KernelCompiler("gcc", 13));
        assertThat(KernelCompiler.parse("gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0"))
                .isEqualTo(new KernelCompiler("gcc", 11));
    }

    @Test
    void refusesOtherCompilersAndSaysWhatToDo() {
        assertThatThrownBy(() -> KernelCompiler.parse("Debian clang version 14.0.6"))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The kernel was built by 'Debian clang version 14.0.6', but the container builder only"
                        + " provides gcc toolchains; use the native builder with that compiler installed");
    }
}
