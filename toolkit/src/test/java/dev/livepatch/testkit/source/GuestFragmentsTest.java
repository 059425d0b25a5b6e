package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelException;
import org.junit.jupiter.api.Test;

class GuestFragmentsTest {
    @Test
    void aPpc64leGuestIsAPseriesPartitionWithLivepatchOnFtraceWithRegs() {
        GuestFragments fragments = GuestFragments.of(Arch.PPC64LE);

        assertThat(fragments.guest().name()).isEqualTo("livepatch-guest-ppc64le.config");
        assertThat(fragments.trim().name()).isEqualTo("trim-ppc64le.config");
        assertThat(fragments.guest().text())
                .contains(
                        "CONFIG_LIVEPATCH=y\n",
                        "CONFIG_DYNAMIC_FTRACE_WITH_REGS=y\n",
                        "CONFIG_HAVE_RELIABLE_STACKTRACE=y\n",
                        "CONFIG_KPROBES_ON_FTRACE=y\n",
                        "CONFIG_PPC_PSERIES=y\n",
                        "CONFIG_HVC_CONSOLE=y\n",
                        "CONFIG_VIRTIO_PCI=y\n",
                        "CONFIG_VIRTIO_NET=y\n");
        assertThat(fragments.trim().text())
                .contains("# CONFIG_PPC_POWERNV is not set\n", "# CONFIG_PPC_PS3 is not set\n")
                .doesNotContain("CONFIG_PPC_PSERIES");
    }

    @Test
    void anS390xGuestIsAVirtioCcwGuestWithTheSclpVt220Console() {
        GuestFragments fragments = GuestFragments.of(Arch.S390X);

        assertThat(fragments.guest().name()).isEqualTo("livepatch-guest-s390x.config");
        assertThat(fragments.trim().name()).isEqualTo("trim-s390x.config");
        assertThat(fragments.guest().text())
                .contains(
                        "CONFIG_LIVEPATCH=y\n",
                        "CONFIG_DYNAMIC_FTRACE_WITH_REGS=y\n",
                        "CONFIG_DYNAMIC_FTRACE_WITH_ARGS=y\n",
                        "CONFIG_HAVE_RELIABLE_STACKTRACE=y\n",
                        "CONFIG_KPROBES_ON_FTRACE=y\n",
                        "CONFIG_S390_GUEST=y\n",
                        "CONFIG_SCLP_VT220_CONSOLE=y\n",
                        "CONFIG_VIRTIO_NET=y\n",
                        "CONFIG_VIRTIO_CONSOLE=y\n");
        assertThat(fragments.trim().text())
                .contains("# CONFIG_DASD is not set\n", "# CONFIG_QETH is not set\n", "CONFIG_DEBUG_INFO_NONE=y\n")
                .doesNotContain("S390_GUEST", "SCLP");
    }

    @Test
    void aLoongarch64GuestUnwindsWithOrcAndResetsThroughTheDeviceTreesSyscon() {
        GuestFragments fragments = GuestFragments.of(Arch.LOONGARCH64);

        assertThat(fragments.guest().name()).isEqualTo("livepatch-guest-loongarch64.config");
        assertThat(fragments.trim().name()).isEqualTo("trim-loongarch64.config");
        assertThat(fragments.guest().text())
                .contains(
                        "CONFIG_LIVEPATCH=y\n",
                        "CONFIG_DYNAMIC_FTRACE_WITH_REGS=y\n",
                        "CONFIG_DYNAMIC_FTRACE_WITH_ARGS=y\n",
                        "CONFIG_UNWINDER_ORC=y\n",
                        "CONFIG_HAVE_RELIABLE_STACKTRACE=y\n",
                        "CONFIG_KALLSYMS_ALL=y\n",
                        "CONFIG_KPROBES_ON_FTRACE=y\n",
                        "CONFIG_EFI_STUB=y\n",
                        "CONFIG_SERIAL_OF_PLATFORM=y\n",
                        "CONFIG_POWER_RESET_SYSCON=y\n",
                        "CONFIG_VIRTIO_NET=y\n",
                        "CONFIG_VIRTIO_CONSOLE=y\n",
                        "# CONFIG_SERIO_I8042 is not set\n",
                        "# CONFIG_KEYBOARD_ATKBD is not set\n",
                        "# CONFIG_MOUSE_PS2 is not set\n");
        assertThat(fragments.trim().text())
                .contains("# CONFIG_EFI_ZBOOT is not set\n", "# CONFIG_DRM is not set\n", "CONFIG_DEBUG_INFO_NONE=y\n")
                .doesNotContain("POWER_RESET", "SERIAL_8250", "# CONFIG_ACPI is not set", "# CONFIG_EFI is not set");
    }

    @Test
    void eachArchitectureHasItsOwnFragments() {
        assertThat(GuestFragments.of(Arch.ARM64).guest().name()).isEqualTo("livepatch-guest-arm64.config");
        assertThat(GuestFragments.of(Arch.X86_64).guest().name()).isEqualTo("livepatch-guest.config");
        assertThat(Arch.ALL)
                .allSatisfy(arch -> assertThat(GuestFragments.of(arch).arch()).isEqualTo(arch));
    }

    @Test
    void anArchitectureWithoutFragmentsIsRefusedNamingThoseThatHaveThem() {
        Arch riscv64 = new Arch(
                "riscv64",
                "riscv64",
                "riscv64",
                "riscv",
                "riscv",
                "riscv64-linux-gnu",
                "CONFIG_RISCV",
                "defconfig",
                "arch/riscv/boot/Image",
                new Arch.Qemu("qemu-system-riscv64", "virt", "max", "ttyS0", Arch.Bus.PCI, "qemu-system-misc", true));

        assertThatThrownBy(() -> GuestFragments.of(riscv64))
                .isInstanceOf(KernelException.class)
                .hasMessage("The toolkit has no livepatch guest configuration for riscv64 yet (it has them for x86_64,"
                        + " arm64, ppc64le, s390x, loongarch64): a source tree cannot be built for it.");
    }
}
