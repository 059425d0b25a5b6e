package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The probe's whole QEMU command line: its boot sector on a floppy, its serial port on QEMU's stdout. */
class KvmProbeTest {

    @Test
    void theProbesWholeCommandLineUnderKvm() {
        assertThat(KvmProbe.command(Path.of("/tmp/lpt-kvm-probe-1/boot.img"), Accelerator.KVM))
                .containsExactly(
                        "qemu-system-x86_64",
                        "-accel",
                        "kvm",
                        "-cpu",
                        "host",
                        "-machine",
                        "pc",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-serial",
                        "stdio",
                        "-drive",
                        "file=/tmp/lpt-kvm-probe-1/boot.img,format=raw,if=floppy");
    }

    @Test
    void theProbesWholeCommandLineUnderEmulationWithACommaInItsPath() {
        assertThat(KvmProbe.command(Path.of("/tmp/a,b/boot.img"), Accelerator.TCG))
                .containsExactly(
                        "qemu-system-x86_64",
                        "-accel",
                        "tcg,thread=multi",
                        "-cpu",
                        "max",
                        "-machine",
                        "pc",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-serial",
                        "stdio",
                        "-drive",
                        "file=/tmp/a,,b/boot.img,format=raw,if=floppy");
    }
}
