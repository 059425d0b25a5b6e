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
    void eachArchitectureHasItsOwnFragments() {
        assertThat(GuestFragments.of(Arch.ARM64).guest().name()).isEqualTo("livepatch-guest-arm64.config");
        assertThat(GuestFragments.of(Arch.X86_64).guest().name()).isEqualTo("livepatch-guest.config");
    }

    @Test
    void anArchitectureWithoutFragmentsIsRefusedNamingThoseThatHaveThem() {
        assertThatThrownBy(() -> GuestFragments.of(Arch.S390X))
                .isInstanceOf(KernelException.class)
                .hasMessage("The toolkit has no livepatch guest configuration for s390x yet (it has them for x86_64,"
                        + " arm64, ppc64le): a source tree cannot be built for it.");
    }
}
