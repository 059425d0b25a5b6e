package dev.livepatch.testkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArchTest {
    @Test
    void takesTheToolkitsUnamesAndDebiansNames() {
        assertThat(Arch.parse("arm64")).isSameAs(Arch.ARM64);
        assertThat(Arch.parse("aarch64")).isSameAs(Arch.ARM64);
        assertThat(Arch.parse("amd64")).isSameAs(Arch.X86_64);
        assertThat(Arch.parse(" PPC64EL ")).isSameAs(Arch.PPC64LE);
        assertThat(Arch.parse("s390x")).isSameAs(Arch.S390X);
        assertThat(Arch.parse("loong64")).isSameAs(Arch.LOONGARCH64);
        assertThat(Arch.parse("loongarch64")).isSameAs(Arch.LOONGARCH64);
    }

    @Test
    void refusesAnUnknownArchitectureNamingTheKnownOnes() {
        assertThatThrownBy(() -> Arch.parse("riscv64"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown architecture 'riscv64': use one of x86_64, arm64, ppc64le, s390x, loongarch64.");
    }

    @Test
    void namesTheCrossCompilerAndTheBuildOfEachArchitecture() {
        assertThat(Arch.ARM64.crossGccPackage(16)).isEqualTo("gcc-16-aarch64-linux-gnu");
        assertThat(Arch.ARM64.crossGcc(16)).isEqualTo("aarch64-linux-gnu-gcc-16");
        assertThat(Arch.ARM64.crossCompile()).isEqualTo("aarch64-linux-gnu-");
        assertThat(Arch.ARM64.kconfig()).isEqualTo("arch/arm64/Kconfig");
        assertThat(Arch.ARM64.bootImage()).isEqualTo("arch/arm64/boot/Image");
        assertThat(Arch.PPC64LE.crossGccPackage(14)).isEqualTo("gcc-14-powerpc64le-linux-gnu");
        assertThat(Arch.PPC64LE.crossCompile()).isEqualTo("powerpc64le-linux-gnu-");
        assertThat(Arch.PPC64LE.kconfig()).isEqualTo("arch/powerpc/Kconfig");
        assertThat(Arch.PPC64LE.defconfig()).isEqualTo("ppc64le_defconfig");
        assertThat(Arch.PPC64LE.bootImage()).isEqualTo("vmlinux");
        assertThat(Arch.PPC64LE.qemu().console()).isEqualTo("hvc0");
        assertThat(Arch.PPC64LE.qemu().machine()).startsWith("pseries,x-vof=on,");
        assertThat(Arch.S390X.qemu().bus()).isEqualTo(Arch.Bus.CCW);
        assertThat(Arch.S390X.crossGccPackage(16)).isEqualTo("gcc-16-s390x-linux-gnu");
        assertThat(Arch.S390X.crossCompile()).isEqualTo("s390x-linux-gnu-");
        assertThat(Arch.S390X.kernelArch()).isEqualTo("s390");
        assertThat(Arch.S390X.kconfig()).isEqualTo("arch/s390/Kconfig");
        assertThat(Arch.S390X.defconfig()).isEqualTo("defconfig");
        assertThat(Arch.S390X.bootImage()).isEqualTo("arch/s390/boot/bzImage");
        assertThat(Arch.S390X.qemu().console()).isEqualTo("ttysclp0");
        assertThat(Arch.S390X.qemu().cpu()).isEqualTo("max,vx=off,vxeh=off");
        assertThat(Arch.S390X.qemu().debianPackage()).isEqualTo("qemu-system-misc");
        assertThat(Arch.S390X.qemu().snapshots()).isTrue();
        assertThat(Arch.LOONGARCH64.crossGccPackage(16)).isEqualTo("gcc-16-loongarch64-linux-gnu");
        assertThat(Arch.LOONGARCH64.crossCompile()).isEqualTo("loongarch64-linux-gnu-");
        assertThat(Arch.LOONGARCH64.kernelArch()).isEqualTo("loongarch");
        assertThat(Arch.LOONGARCH64.kconfig()).isEqualTo("arch/loongarch/Kconfig");
        assertThat(Arch.LOONGARCH64.defconfig()).isEqualTo("loongson64_defconfig");
        assertThat(Arch.LOONGARCH64.bootImage()).isEqualTo("arch/loongarch/boot/vmlinux.efi");
        assertThat(Arch.LOONGARCH64.configSymbol()).isEqualTo("CONFIG_LOONGARCH");
        assertThat(Arch.LOONGARCH64.qemu().binary()).isEqualTo("qemu-system-loongarch64");
        assertThat(Arch.LOONGARCH64.qemu().machine()).isEqualTo("virt");
        assertThat(Arch.LOONGARCH64.qemu().cpu()).isEqualTo("la464");
        assertThat(Arch.LOONGARCH64.qemu().console()).isEqualTo("ttyS0");
        assertThat(Arch.LOONGARCH64.qemu().bus()).isEqualTo(Arch.Bus.PCI);
        assertThat(Arch.LOONGARCH64.qemu().snapshots()).isFalse();
        assertThat(Arch.ARM64.qemu().binary()).isEqualTo("qemu-system-aarch64");
        assertThat(Arch.ARM64.qemu().console()).isEqualTo("ttyAMA0");
    }

    @Test
    void theSettingDefaultsToThisHostsArchitecture() {
        assertThat(Settings.ARCH.defaultValue()).isEqualTo(Arch.host());
        assertThat(Settings.ARCH.parse("arm64")).isSameAs(Arch.ARM64);
    }
}
