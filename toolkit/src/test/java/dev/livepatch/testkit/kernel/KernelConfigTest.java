package dev.livepatch.testkit.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelConfigTest {
    private static final Path FILE = Path.of("/boot/config-6.1.0-56-amd64");

    @Test
    void aConfigWithLivepatchSupportIsAccepted() {
        KernelConfig config = KernelConfig.parse(
                FILE,
                lines("CONFIG_LIVEPATCH=y", "CONFIG_HAVE_RELIABLE_STACKTRACE=y", "CONFIG_DYNAMIC_FTRACE_WITH_REGS=y"));

        assertThatCode(() -> config.requireLivepatchSupport("6.1.0-56-amd64")).doesNotThrowAnyException();
    }

    @Test
    void ftraceWithArgsIsAnAcceptedAlternativeToWithRegs() {
        KernelConfig config = KernelConfig.parse(
                FILE,
                lines(
                        "CONFIG_LIVEPATCH=y",
                        "CONFIG_HAVE_RELIABLE_STACKTRACE=y",
                        "# CONFIG_DYNAMIC_FTRACE_WITH_REGS is not set",
                        "CONFIG_DYNAMIC_FTRACE_WITH_ARGS=y"));

        assertThatCode(() -> config.requireLivepatchSupport("6.6.0")).doesNotThrowAnyException();
    }

    @Test
    void aKernelWithoutLivepatchIsRefusedQuotingTheConfigLine() {
        KernelConfig config = KernelConfig.parse(
                FILE,
                lines(
                        "# CONFIG_LIVEPATCH is not set",
                        "CONFIG_HAVE_RELIABLE_STACKTRACE=y",
                        "CONFIG_DYNAMIC_FTRACE_WITH_REGS=y"));

        assertThatThrownBy(() -> config.requireLivepatchSupport("6.1.0-custom"))
                .isInstanceOf(KernelException.class)
                .hasMessage("Kernel 6.1.0-custom cannot be livepatched: " + FILE
                        + " lacks CONFIG_LIVEPATCH=y (found '# CONFIG_LIVEPATCH is not set')."
                        + " Rebuild it with these options, or use the default Debian kernel (--kernel debian).");
    }

    @Test
    void everyMissingRequirementIsListed() {
        KernelConfig config = KernelConfig.parse(FILE, lines("CONFIG_LIVEPATCH=m", "CONFIG_MODULES=y"));

        assertThatThrownBy(() -> config.requireLivepatchSupport("tiny"))
                .isInstanceOf(KernelException.class)
                .hasMessageContaining("lacks CONFIG_LIVEPATCH=y (found 'CONFIG_LIVEPATCH=m');"
                        + " CONFIG_HAVE_RELIABLE_STACKTRACE=y (absent);"
                        + " CONFIG_DYNAMIC_FTRACE_WITH_REGS=y or CONFIG_DYNAMIC_FTRACE_WITH_ARGS=y (absent).");
    }

    @Test
    void optionValuesAreReadWithQuotesRemoved() {
        KernelConfig config = KernelConfig.parse(
                FILE,
                lines(
                        "#",
                        "# Automatically generated file; DO NOT EDIT.",
                        "CONFIG_CC_VERSION_TEXT=\"gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0\"",
                        "CONFIG_LOCALVERSION=\"\"",
                        "CONFIG_NR_CPUS=512",
                        "# CONFIG_KASAN is not set"));

        assertThat(config.compiler()).isEqualTo("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0");
        assertThat(config.get("CONFIG_LOCALVERSION")).contains("");
        assertThat(config.get("CONFIG_NR_CPUS")).contains("512");
        assertThat(config.get("CONFIG_KASAN")).isEmpty();
        assertThat(KernelConfig.parse(FILE, List.of()).compiler()).isEqualTo("unknown");
    }

    private static List<String> lines(String... lines) {
        return List.of(lines);
    }
}
