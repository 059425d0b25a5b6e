package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Arch;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A QEMU argument list, written one option group at a time in the order the groups are added. Each method is one
 * group and the only place that knows its syntax: another machine type, console or device bus is one more method here.
 */
final class QemuArguments {
    private final List<String> arguments = new ArrayList<>();
    private final Arch.Bus bus;

    /** Arguments for {@code binary}, its virtio devices on PCI. */
    QemuArguments(String binary) {
        this(binary, Arch.Bus.PCI);
    }

    /** Arguments for {@code binary}, its virtio devices on {@code bus}. */
    QemuArguments(String binary, Arch.Bus bus) {
        arguments.add(binary);
        this.bus = bus;
    }

    QemuArguments name(String name) {
        return add("-name", name);
    }

    /** A board with only the devices asked for: no defaults, no user configuration, no display. */
    QemuArguments bareMachine(String type) {
        return add("-machine", type, "-nodefaults", "-no-user-config", "-display", "none");
    }

    QemuArguments noReboot() {
        return add("-no-reboot");
    }

    QemuArguments size(Machine machine) {
        return add("-smp", Integer.toString(machine.cpus()), "-m", machine.memoryMib() + "M");
    }

    QemuArguments accelerator(Accelerator accelerator, Arch arch) {
        arguments.addAll(accelerator.arguments(arch));
        return this;
    }

    QemuArguments directBoot(Path kernel, Path initramfs, String kernelArguments) {
        return add("-kernel", kernel.toString(), "-initrd", initramfs.toString(), "-append", kernelArguments);
    }

    /** The first serial port on QEMU's stdout. */
    QemuArguments serialOnStdout() {
        return add("-serial", "stdio");
    }

    /** User networking on a virtio card, with the guest's SSH port forwarded from {@code hostPort} on loopback. */
    QemuArguments sshForward(int hostPort) {
        return add(
                "-netdev",
                "user,id=net0,hostfwd=tcp:127.0.0.1:" + hostPort + "-:22",
                "-device",
                virtio("net") + ",netdev=net0" + (bus == Arch.Bus.PCI ? ",romfile=" : ""));
    }

    QemuArguments qmp(Path socket) {
        return add("-qmp", "unix:" + escaped(socket) + ",server=on,wait=off");
    }

    /** A virtio serial port named {@code name} in the guest, its host end a unix socket. */
    QemuArguments serialPort(String name, Path socket) {
        return add(
                "-device",
                virtio("serial") + ",id=ports",
                "-chardev",
                "socket,id=ssh,path=" + escaped(socket) + ",server=on,wait=off",
                "-device",
                "virtserialport,bus=ports.0,chardev=ssh,name=" + name);
    }

    /** A qcow2 drive attached to no device: it only holds snapshots. */
    QemuArguments stateDrive(Path qcow2, boolean ioUring) {
        return add("-drive", "if=none,id=state,format=qcow2,file=" + escaped(qcow2) + (ioUring ? ",aio=io_uring" : ""));
    }

    QemuArguments floppy(Path rawImage) {
        return add("-drive", "file=" + escaped(rawImage) + ",format=raw,if=floppy");
    }

    QemuArguments loadSnapshot(String tag) {
        return add("-loadvm", tag);
    }

    /** The CPUs wait for a {@code cont}. */
    QemuArguments paused() {
        return add("-S");
    }

    List<String> list() {
        return List.copyOf(arguments);
    }

    /** A virtio device on the bus: {@code virtio-net-pci}, or {@code virtio-net-ccw} on s390x. */
    private String virtio(String device) {
        return "virtio-" + device + "-" + bus.name().toLowerCase(java.util.Locale.ROOT);
    }

    private QemuArguments add(String... more) {
        arguments.addAll(List.of(more));
        return this;
    }

    /** A path inside a QEMU option list, where a comma is written twice. */
    private static String escaped(Path path) {
        return path.toString().replace(",", ",,");
    }
}
