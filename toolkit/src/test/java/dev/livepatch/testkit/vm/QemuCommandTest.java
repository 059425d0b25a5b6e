package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    private static QemuCommand command(Accelerator accelerator, Optional<String> snapshot) {
        return new QemuCommand(
                "lpt-test",
                Path.of("/k/vmlinuz"),
                Path.of("/i/initramfs.cpio"),
                "rdinit=/init",
                new Machine(2, 768),
                accelerator,
                Path.of("/run/qmp.sock"),
                Path.of("/run/state.qcow2"),
                snapshot);
    }

    @Test
    void bootsTheKernelDirectlyWithTheImagesArguments() {
        List<String> args = command(Accelerator.TCG, Optional.empty()).arguments();
        assertThat(args.get(0)).isEqualTo("qemu-system-x86_64");
        assertThat(args).containsSequence("-kernel", "/k/vmlinuz").containsSequence("-initrd", "/i/initramfs.cpio");
        String append = args.get(args.indexOf("-append") + 1);
        assertThat(append).startsWith("console=ttyS0 panic=-1").endsWith("rdinit=/init");
        assertThat(args).contains("-no-reboot", "-nodefaults");
    }

    @Test
    void sizesTheMachineAndPicksTheAccelerator() {
        assertThat(command(Accelerator.TCG, Optional.empty()).arguments())
                .containsSequence("-smp", "2")
                .containsSequence("-m", "768M")
                .containsSequence("-accel", "tcg,thread=multi", "-cpu", "max");
        assertThat(command(Accelerator.KVM, Optional.empty()).arguments())
                .containsSequence("-accel", "kvm", "-cpu", "host");
    }

    @Test
    void forwardsSshFromLoopbackOnlyAndExposesQmp() {
        List<String> args = command(Accelerator.TCG, Optional.empty()).arguments();
        assertThat(args.get(args.indexOf("-netdev") + 1)).isEqualTo("user,id=net0,hostfwd=tcp:127.0.0.1:0-:22");
        assertThat(args).containsSequence("-qmp", "unix:/run/qmp.sock,server=on,wait=off");
        assertThat(args).containsSequence("-serial", "stdio");
    }

    @Test
    void startsFromASnapshotOnlyWhenAsked() {
        assertThat(command(Accelerator.TCG, Optional.empty()).arguments()).doesNotContain("-loadvm");
        assertThat(command(Accelerator.TCG, Optional.of("ready")).arguments()).containsSequence("-loadvm", "ready");
        assertThat(command(Accelerator.TCG, Optional.empty()).arguments())
                .containsSequence("-drive", "if=none,id=state,format=qcow2,file=/run/state.qcow2");
    }

    @Test
    void theKvmProbeIsABootSectorWritingToTheSerialPort() {
        byte[] sector = AcceleratorProbe.bootSector();
        assertThat(sector).hasSize(512);
        assertThat(sector[510]).isEqualTo((byte) 0x55);
        assertThat(sector[511]).isEqualTo((byte) 0xAA);
        assertThat(new String(sector, 0, 16, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("O")
                .contains("K");
    }
}
