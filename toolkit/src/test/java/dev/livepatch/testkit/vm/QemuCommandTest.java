package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.config.Arch;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    /** The kernel arguments every guest gets, as written out: they are part of every boot snapshot's key. */
    private static final String BASE_APPEND =
            "console=ttyS0 panic=-1 quiet oops=panic cryptomgr.notests init_on_alloc=0"
                    + " init_on_free=1 lsm=capability tsc=unstable ipv6.disable=1";

    private static final QemuCommand GUEST = QemuCommand.directBoot(Path.of("/k/vmlinux"), Path.of("/i/initramfs.cpio"))
            .kernelArguments("rdinit=/init")
            .name("lpt-test")
            .machine(new Machine(2, 768))
            .accelerator(Accelerator.TCG)
            .qmpSocket(Path.of("/run/a/qmp.sock"))
            .stateDrive(Path.of("/run/a/state.qcow2"))
            .build();

    @Test
    void bootsTheKernelDirectlyWithTheBaseAndImageArguments() {
        List<String> args = GUEST.arguments();
        assertThat(args.get(0)).isEqualTo("qemu-system-x86_64");
        assertThat(args).containsSequence("-kernel", "/k/vmlinux").containsSequence("-initrd", "/i/initramfs.cpio");
        assertThat(args.get(args.indexOf("-append") + 1))
                .startsWith("console=ttyS0 panic=-1 quiet ")
                .endsWith(" rdinit=/init");
        assertThat(args)
                .contains("-no-reboot", "-nodefaults", "-no-user-config")
                .containsSequence("-display", "none");
        assertThat(args).containsSequence("-name", "lpt-test");
    }

    @Test
    void anArm64GuestRunsOnTheVirtBoardWithItsConsoleAndPciDevices() {
        List<String> args = with(builder -> builder.arch(Arch.ARM64)).arguments();

        assertThat(args.get(0)).isEqualTo("qemu-system-aarch64");
        assertThat(args).containsSequence("-machine", "virt", "-nodefaults");
        assertThat(args).containsSequence("-accel", "tcg,thread=multi", "-cpu", "max,pauth-impdef=on");
        assertThat(args.get(args.indexOf("-append") + 1))
                .isEqualTo("console=ttyAMA0 panic=-1 quiet oops=panic cryptomgr.notests init_on_alloc=0"
                        + " init_on_free=1 lsm=capability ipv6.disable=1 rdinit=/init");
        assertThat(args).containsSequence("-device", "virtio-net-pci,netdev=net0,romfile=");
        assertThat(args).containsSequence("-device", "virtio-serial-pci,id=ports");
    }

    @Test
    void aPpc64leGuestRunsOnThePseriesMachineWithoutSlofAndWithTheHypervisorConsole() {
        List<String> args = with(builder -> builder.arch(Arch.PPC64LE)).arguments();

        assertThat(args.get(0)).isEqualTo("qemu-system-ppc64");
        assertThat(args)
                .containsSequence(
                        "-machine",
                        "pseries,x-vof=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off",
                        "-nodefaults");
        assertThat(args).containsSequence("-kernel", "/k/vmlinux").containsSequence("-serial", "stdio");
        assertThat(args.get(args.indexOf("-append") + 1))
                .isEqualTo("console=hvc0 panic=-1 quiet oops=panic cryptomgr.notests init_on_alloc=0"
                        + " init_on_free=1 lsm=capability ipv6.disable=1 rdinit=/init");
        assertThat(args).containsSequence("-device", "virtio-net-pci,netdev=net0,romfile=");
        assertThat(args).containsSequence("-device", "virtio-serial-pci,id=ports");
    }

    @Test
    void anS390xGuestBootsItsCompressedImageWithTheSclpConsoleAndItsVirtioDevicesOnTheChannelSubsystem() {
        List<String> args = QemuCommand.directBoot(Path.of("/k/arch/s390/boot/bzImage"), Path.of("/i/initramfs.cpio"))
                .arch(Arch.S390X)
                .kernelArguments("rdinit=/init")
                .machine(new Machine(2, 768))
                .accelerator(Accelerator.TCG)
                .qmpSocket(Path.of("/run/a/qmp.sock"))
                .build()
                .arguments();

        assertThat(args.get(0)).isEqualTo("qemu-system-s390x");
        assertThat(args).containsSequence("-machine", "s390-ccw-virtio", "-nodefaults");
        assertThat(args).containsSequence("-accel", "tcg,thread=multi", "-cpu", "max,vx=off,vxeh=off");
        assertThat(args)
                .containsSequence("-kernel", "/k/arch/s390/boot/bzImage", "-initrd", "/i/initramfs.cpio")
                .containsSequence("-serial", "stdio")
                .doesNotContain("-bios");
        assertThat(args.get(args.indexOf("-append") + 1))
                .isEqualTo("console=ttysclp0 panic=-1 quiet oops=panic cryptomgr.notests init_on_alloc=0"
                        + " init_on_free=1 lsm=capability ipv6.disable=1 rdinit=/init");
        assertThat(args).containsSequence("-device", "virtio-net-ccw,netdev=net0");
        assertThat(args).containsSequence("-device", "virtio-serial-ccw,id=ports");
        assertThat(String.join(" ", args)).doesNotContain("-pci", "romfile");
        assertThat(with(builder -> builder.arch(Arch.S390X).accelerator(Accelerator.KVM))
                        .arguments())
                .containsSequence("-accel", "kvm", "-cpu", "host");
    }

    @Test
    void aLoongarch64GuestBootsItsUncompressedEfiImageOnTheVirtMachineWithoutFirmware() {
        List<String> args = QemuCommand.directBoot(
                        Path.of("/k/arch/loongarch/boot/vmlinux.efi"), Path.of("/i/initramfs.cpio"))
                .arch(Arch.LOONGARCH64)
                .kernelArguments("rdinit=/init")
                .machine(new Machine(2, 768))
                .accelerator(Accelerator.TCG)
                .qmpSocket(Path.of("/run/a/qmp.sock"))
                .build()
                .arguments();

        assertThat(args.get(0)).isEqualTo("qemu-system-loongarch64");
        assertThat(args).containsSequence("-machine", "virt", "-nodefaults");
        assertThat(args).containsSequence("-accel", "tcg,thread=multi", "-cpu", "la464");
        assertThat(args)
                .containsSequence("-kernel", "/k/arch/loongarch/boot/vmlinux.efi", "-initrd", "/i/initramfs.cpio")
                .containsSequence("-serial", "stdio")
                .doesNotContain("-bios", "-L");
        assertThat(args.get(args.indexOf("-append") + 1))
                .isEqualTo("console=ttyS0 panic=-1 quiet oops=panic cryptomgr.notests init_on_alloc=0"
                        + " init_on_free=1 lsm=capability ipv6.disable=1 rdinit=/init");
        assertThat(args).containsSequence("-device", "virtio-net-pci,netdev=net0,romfile=");
        assertThat(args).containsSequence("-device", "virtio-serial-pci,id=ports");
    }

    @Test
    void anEmulatorUnpackedIntoTheCacheIsStartedByItsPathAndNamedByItsProgramInTheSnapshotsShape() {
        String unpacked = "/cache/emulators/qemu-system-misc_10/usr/bin/qemu-system-loongarch64";
        QemuCommand command = QemuCommand.directBoot(
                        Path.of("/k/arch/loongarch/boot/vmlinux.efi"), Path.of("/i/initramfs.cpio"))
                .arch(Arch.LOONGARCH64)
                .binary(unpacked)
                .build();

        assertThat(command.arguments().get(0)).isEqualTo(unpacked);
        assertThat(command.toBuilder().name("other").build().arguments().get(0)).isEqualTo(unpacked);
        assertThat(command.shape().get(0)).isEqualTo("qemu-system-loongarch64");
        assertThat(command.shape())
                .isEqualTo(command.toBuilder().binary(null).build().shape());
        assertThat(with(builder -> builder.arch(Arch.LOONGARCH64).arch(Arch.ARM64))
                        .arguments()
                        .get(0))
                .isEqualTo("qemu-system-aarch64");
    }

    @Test
    void sizesTheMachineAndPicksTheAccelerator() {
        assertThat(GUEST.arguments())
                .containsSequence("-smp", "2")
                .containsSequence("-m", "768M")
                .containsSequence("-accel", "tcg,thread=multi", "-cpu", "max");
        assertThat(with(builder -> builder.accelerator(Accelerator.KVM)).arguments())
                .containsSequence("-accel", "kvm", "-cpu", "host")
                .doesNotContain("tcg,thread=multi");
    }

    @Test
    void forwardsSshFromLoopbackOnlyAndExposesQmpAndTheSerialConsole() {
        List<String> args = GUEST.arguments();
        assertThat(args.get(args.indexOf("-netdev") + 1)).isEqualTo("user,id=net0,hostfwd=tcp:127.0.0.1:0-:22");
        assertThat(args).containsSequence("-device", "virtio-net-pci,netdev=net0,romfile=");
        assertThat(args).containsSequence("-qmp", "unix:/run/a/qmp.sock,server=on,wait=off");
        assertThat(args).containsSequence("-serial", "stdio");
    }

    @Test
    void keepsSnapshotsOnAStateDriveAndLoadsOneOnlyWhenAsked() {
        assertThat(GUEST.arguments())
                .containsSequence("-drive", "if=none,id=state,format=qcow2,file=/run/a/state.qcow2")
                .doesNotContain("-loadvm");
        assertThat(with(builder -> builder.loadSnapshot("ready")).arguments())
                .containsSequence("-loadvm", "ready")
                .doesNotContain("-S");
        assertThat(with(builder -> builder.ioUring(true)).arguments())
                .containsSequence("-drive", "if=none,id=state,format=qcow2,file=/run/a/state.qcow2,aio=io_uring");
    }

    @Test
    void escapesCommasInPathsInsideOptionLists() {
        List<String> args = with(builder ->
                        builder.qmpSocket(Path.of("/tmp/a,b/qmp.sock")).stateDrive(Path.of("/tmp/a,b/state.qcow2")))
                .arguments();
        assertThat(args).contains("unix:/tmp/a,,b/qmp.sock,server=on,wait=off");
        assertThat(args).contains("if=none,id=state,format=qcow2,file=/tmp/a,,b/state.qcow2");
    }

    @Test
    void isImmutable() {
        QemuCommand other = with(builder -> builder.machine(new Machine(1, 256)));
        assertThat(GUEST.arguments()).containsSequence("-m", "768M");
        assertThat(other.arguments()).containsSequence("-m", "256M");
    }

    @Test
    void itsShapeIgnoresWhatDiffersFromGuestToGuest() {
        QemuCommand another = with(builder -> builder.name("lpt-other")
                .sshPort(2222)
                .qmpSocket(Path.of("/run/b/qmp.sock"))
                .stateDrive(Path.of("/run/b/state.qcow2"))
                .loadSnapshot("ready")
                .paused(true));
        assertThat(another.shape()).isEqualTo(GUEST.shape());
        assertThat(with(builder -> builder.machine(new Machine(1, 768))).shape())
                .isNotEqualTo(GUEST.shape());
        assertThat(with(builder -> builder.kernelArguments("other=1")).shape()).isNotEqualTo(GUEST.shape());
        assertThat(with(builder -> builder.accelerator(Accelerator.KVM)).shape())
                .isNotEqualTo(GUEST.shape());
    }

    /*
     * The whole argument lists, pinned: a boot snapshot is keyed by the command's shape, so any change to them makes
     * every user's snapshots unusable (each would boot cold once more).
     */

    @Test
    void aGuestsWholeCommandLine() {
        assertThat(GUEST.arguments())
                .containsExactly(
                        "qemu-system-x86_64",
                        "-name",
                        "lpt-test",
                        "-machine",
                        "pc",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-no-reboot",
                        "-smp",
                        "2",
                        "-m",
                        "768M",
                        "-accel",
                        "tcg,thread=multi",
                        "-cpu",
                        "max",
                        "-kernel",
                        "/k/vmlinux",
                        "-initrd",
                        "/i/initramfs.cpio",
                        "-append",
                        BASE_APPEND + " rdinit=/init",
                        "-serial",
                        "stdio",
                        "-netdev",
                        "user,id=net0,hostfwd=tcp:127.0.0.1:0-:22",
                        "-device",
                        "virtio-net-pci,netdev=net0,romfile=",
                        "-qmp",
                        "unix:/run/a/qmp.sock,server=on,wait=off",
                        "-device",
                        "virtio-serial-pci,id=ports",
                        "-chardev",
                        "socket,id=ssh,path=/run/a/ssh.sock,server=on,wait=off",
                        "-device",
                        "virtserialport,bus=ports.0,chardev=ssh,name=testkit.ssh",
                        "-drive",
                        "if=none,id=state,format=qcow2,file=/run/a/state.qcow2");
    }

    @Test
    void aGuestsWholeCommandLineUnderKvmFromItsSnapshotThroughIoUring() {
        assertThat(with(builder -> builder.accelerator(Accelerator.KVM)
                                .ioUring(true)
                                .loadSnapshot("ready")
                                .paused(true))
                        .arguments())
                .containsExactly(
                        "qemu-system-x86_64",
                        "-name",
                        "lpt-test",
                        "-machine",
                        "pc",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-no-reboot",
                        "-smp",
                        "2",
                        "-m",
                        "768M",
                        "-accel",
                        "kvm",
                        "-cpu",
                        "host",
                        "-kernel",
                        "/k/vmlinux",
                        "-initrd",
                        "/i/initramfs.cpio",
                        "-append",
                        BASE_APPEND + " rdinit=/init",
                        "-serial",
                        "stdio",
                        "-netdev",
                        "user,id=net0,hostfwd=tcp:127.0.0.1:0-:22",
                        "-device",
                        "virtio-net-pci,netdev=net0,romfile=",
                        "-qmp",
                        "unix:/run/a/qmp.sock,server=on,wait=off",
                        "-device",
                        "virtio-serial-pci,id=ports",
                        "-chardev",
                        "socket,id=ssh,path=/run/a/ssh.sock,server=on,wait=off",
                        "-device",
                        "virtserialport,bus=ports.0,chardev=ssh,name=testkit.ssh",
                        "-drive",
                        "if=none,id=state,format=qcow2,file=/run/a/state.qcow2,aio=io_uring",
                        "-loadvm",
                        "ready",
                        "-S");
    }

    @Test
    void aDirectBootWithNothingElseSaid() {
        assertThat(QemuCommand.directBoot(Path.of("/k/vmlinux"), Path.of("/i/initramfs.cpio"))
                        .build()
                        .arguments())
                .containsExactly(
                        "qemu-system-x86_64",
                        "-name",
                        "guest",
                        "-machine",
                        "pc",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-no-reboot",
                        "-smp",
                        "1",
                        "-m",
                        "512M",
                        "-accel",
                        "tcg,thread=multi",
                        "-cpu",
                        "max",
                        "-kernel",
                        "/k/vmlinux",
                        "-initrd",
                        "/i/initramfs.cpio",
                        "-append",
                        BASE_APPEND,
                        "-serial",
                        "stdio",
                        "-netdev",
                        "user,id=net0,hostfwd=tcp:127.0.0.1:0-:22",
                        "-device",
                        "virtio-net-pci,netdev=net0,romfile=");
    }

    @Test
    void theWholeShapeThatKeysBootSnapshots() {
        assertThat(with(builder -> builder.ioUring(true).loadSnapshot("ready").paused(true))
                        .shape())
                .containsExactly(
                        "qemu-system-x86_64",
                        "-name",
                        "guest",
                        "-machine",
                        "pc",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-no-reboot",
                        "-smp",
                        "2",
                        "-m",
                        "768M",
                        "-accel",
                        "tcg,thread=multi",
                        "-cpu",
                        "max",
                        "-kernel",
                        "vmlinux",
                        "-initrd",
                        "initramfs.cpio",
                        "-append",
                        BASE_APPEND + " rdinit=/init",
                        "-serial",
                        "stdio",
                        "-netdev",
                        "user,id=net0,hostfwd=tcp:127.0.0.1:0-:22",
                        "-device",
                        "virtio-net-pci,netdev=net0,romfile=",
                        "-qmp",
                        "unix:qmp.sock,server=on,wait=off",
                        "-device",
                        "virtio-serial-pci,id=ports",
                        "-chardev",
                        "socket,id=ssh,path=ssh.sock,server=on,wait=off",
                        "-device",
                        "virtserialport,bus=ports.0,chardev=ssh,name=testkit.ssh",
                        "-drive",
                        "if=none,id=state,format=qcow2,file=state.qcow2,aio=io_uring");
    }

    @Test
    void aGuestsSnapshotRunningAtOnceWithItsSshPortChosen() {
        assertThat(with(builder -> builder.name("lpt-plain").sshPort(40022).loadSnapshot("ready"))
                        .arguments())
                .containsExactly(
                        "qemu-system-x86_64",
                        "-name",
                        "lpt-plain",
                        "-machine",
                        "pc",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-no-reboot",
                        "-smp",
                        "2",
                        "-m",
                        "768M",
                        "-accel",
                        "tcg,thread=multi",
                        "-cpu",
                        "max",
                        "-kernel",
                        "/k/vmlinux",
                        "-initrd",
                        "/i/initramfs.cpio",
                        "-append",
                        BASE_APPEND + " rdinit=/init",
                        "-serial",
                        "stdio",
                        "-netdev",
                        "user,id=net0,hostfwd=tcp:127.0.0.1:40022-:22",
                        "-device",
                        "virtio-net-pci,netdev=net0,romfile=",
                        "-qmp",
                        "unix:/run/a/qmp.sock,server=on,wait=off",
                        "-device",
                        "virtio-serial-pci,id=ports",
                        "-chardev",
                        "socket,id=ssh,path=/run/a/ssh.sock,server=on,wait=off",
                        "-device",
                        "virtserialport,bus=ports.0,chardev=ssh,name=testkit.ssh",
                        "-drive",
                        "if=none,id=state,format=qcow2,file=/run/a/state.qcow2",
                        "-loadvm",
                        "ready");
    }

    private static QemuCommand with(UnaryOperator<QemuCommand.Builder> change) {
        return change.apply(GUEST.toBuilder()).build();
    }
}
