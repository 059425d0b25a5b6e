package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.ssh.kept.SessionPort;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The QEMU command line of a guest, built immutably: every {@code with…} returns a new command. Direct kernel boot,
 * no default devices, serial console on stdout, a QMP socket, user networking with a loopback-only forward to the
 * guest's SSH port, a virtio serial port for the SSH session that a snapshot keeps (its host end a socket beside the
 * QMP socket), and a qcow2 drive that only holds snapshots.
 */
record QemuCommand(
        Path kernel,
        Path initramfs,
        String kernelArguments,
        String name,
        Machine machine,
        Accelerator accelerator,
        Path qmpSocket,
        Path stateDrive,
        boolean ioUring,
        String loadSnapshot) {

    static final String BINARY = "qemu-system-x86_64";

    /**
     * What every guest's kernel gets: a quiet serial console, a panic ends QEMU, an oops is a panic (so that it is
     * reported). The guest keeps time with the HPET, not the TSC: under TCG, QEMU never lets the TSC go backwards
     * within a process, so after a {@code loadvm} the guest's TSC clock would jump ahead by all the time the process
     * has run (timers and TCP retransmissions fire at once, RCU reports stalls, SSH connections drop), while the
     * HPET is restored with the snapshot. No IPv6 (the guest is reached over IPv4): its "link becomes ready"
     * message would otherwise land after the boot snapshot, in the kernel log of whichever test runs first. The rest measurably speeds up TCG guests. Cold boot (emulated CPU seconds to the ready line,
     * medians of 8 interleaved boots): no crypto self-tests -0.31 s, no zeroing of every allocated page -0.07 s
     * (up to -0.3 s in other runs). Reset to a working SSH command (medians of 30): only the capabilities security
     * module -23 ms, as fewer hooks run on the paths that must be translated again after {@code loadvm}. Freed pages
     * are zeroed ({@code init_on_free=1}), so that {@code savevm} skips them: boot snapshots shrink by a fifth (6.1: 92
     * to 72 MB, 7.2: 103 to 80 MB) and load faster, for about half a second more of the one cold boot. Tried
     * without a measurable effect: mitigations=off, tsc=reliable no_timer_check, i8042.noaux/nokbd/nopnp, audit=0.
     */
    static final String BASE_KERNEL_ARGUMENTS =
            "console=ttyS0 panic=-1 quiet oops=panic cryptomgr.notests init_on_alloc=0 init_on_free=1 lsm=capability"
                    + " tsc=unstable ipv6.disable=1";

    QemuCommand {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initramfs, "initramfs");
    }

    /** A command booting {@code kernel} with {@code initramfs} on a default machine under TCG. */
    static QemuCommand directBoot(Path kernel, Path initramfs) {
        return new QemuCommand(
                kernel, initramfs, "", "guest", new Machine(1, 512), Accelerator.TCG, null, null, false, null);
    }

    QemuCommand withKernelArguments(String extra) {
        return new QemuCommand(
                kernel, initramfs, extra, name, machine, accelerator, qmpSocket, stateDrive, ioUring, loadSnapshot);
    }

    QemuCommand withName(String guestName) {
        return new QemuCommand(
                kernel,
                initramfs,
                kernelArguments,
                guestName,
                machine,
                accelerator,
                qmpSocket,
                stateDrive,
                ioUring,
                loadSnapshot);
    }

    QemuCommand withMachine(Machine hardware) {
        return new QemuCommand(
                kernel,
                initramfs,
                kernelArguments,
                name,
                hardware,
                accelerator,
                qmpSocket,
                stateDrive,
                ioUring,
                loadSnapshot);
    }

    QemuCommand withAccelerator(Accelerator chosen) {
        return new QemuCommand(
                kernel,
                initramfs,
                kernelArguments,
                name,
                machine,
                chosen,
                qmpSocket,
                stateDrive,
                ioUring,
                loadSnapshot);
    }

    QemuCommand withQmpSocket(Path socket) {
        return new QemuCommand(
                kernel,
                initramfs,
                kernelArguments,
                name,
                machine,
                accelerator,
                socket,
                stateDrive,
                ioUring,
                loadSnapshot);
    }

    QemuCommand withStateDrive(Path qcow2) {
        return new QemuCommand(
                kernel,
                initramfs,
                kernelArguments,
                name,
                machine,
                accelerator,
                qmpSocket,
                qcow2,
                ioUring,
                loadSnapshot);
    }

    /** Reads and writes the state drive through io_uring (faster {@code loadvm}; see {@link IoUring}). */
    QemuCommand withIoUring(boolean enabled) {
        return new QemuCommand(
                kernel,
                initramfs,
                kernelArguments,
                name,
                machine,
                accelerator,
                qmpSocket,
                stateDrive,
                enabled,
                loadSnapshot);
    }

    /** Starts from the snapshot {@code tag} of the state drive instead of booting. */
    QemuCommand loadingSnapshot(String tag) {
        return new QemuCommand(
                kernel, initramfs, kernelArguments, name, machine, accelerator, qmpSocket, stateDrive, ioUring, tag);
    }

    /** The host end of the guest's SSH port, beside the QMP socket. */
    Path sessionSocket() {
        return qmpSocket == null ? null : qmpSocket.resolveSibling("ssh.sock");
    }

    String append() {
        return (BASE_KERNEL_ARGUMENTS + " " + kernelArguments).strip();
    }

    List<String> arguments() {
        List<String> args = new ArrayList<>(List.of(
                BINARY,
                "-name",
                name,
                "-machine",
                "pc",
                "-nodefaults",
                "-no-user-config",
                "-display",
                "none",
                "-no-reboot",
                "-smp",
                Integer.toString(machine.cpus()),
                "-m",
                machine.memoryMib() + "M"));
        args.addAll(accelerator.arguments());
        args.addAll(List.of(
                "-kernel",
                kernel.toString(),
                "-initrd",
                initramfs.toString(),
                "-append",
                append(),
                "-serial",
                "stdio",
                "-netdev",
                "user,id=net0,hostfwd=tcp:127.0.0.1:0-:22",
                "-device",
                "virtio-net-pci,netdev=net0,romfile="));
        if (qmpSocket != null) {
            args.addAll(List.of(
                    "-qmp",
                    "unix:" + escaped(qmpSocket) + ",server=on,wait=off",
                    "-device",
                    "virtio-serial-pci,id=ports",
                    "-chardev",
                    "socket,id=ssh,path=" + escaped(sessionSocket()) + ",server=on,wait=off",
                    "-device",
                    "virtserialport,bus=ports.0,chardev=ssh,name=" + SessionPort.NAME));
        }
        if (stateDrive != null) {
            args.addAll(List.of(
                    "-drive",
                    "if=none,id=state,format=qcow2,file=" + escaped(stateDrive) + (ioUring ? ",aio=io_uring" : "")));
        }
        if (loadSnapshot != null) {
            // Paused until the host end of the SSH port is connected: restored without it, the guest would be told
            // that the host closed the port, which ends the session the snapshot keeps.
            args.addAll(List.of("-loadvm", loadSnapshot, "-S"));
        }
        return List.copyOf(args);
    }

    /**
     * The arguments without what differs from guest to guest (name, socket, drive, snapshot to load) and without
     * host folders: a snapshot saved by one command can only be loaded by a command of the same shape, wherever the
     * files it boots are (the cache may move; the files' content is keyed separately).
     */
    List<String> shape() {
        return new QemuCommand(
                        kernel.getFileName(),
                        initramfs.getFileName(),
                        kernelArguments,
                        "guest",
                        machine,
                        accelerator,
                        Path.of("qmp.sock"),
                        Path.of("state.qcow2"),
                        ioUring,
                        null)
                .arguments();
    }

    /** A path inside a QEMU option list, where a comma is written twice. */
    private static String escaped(Path path) {
        return path.toString().replace(",", ",,");
    }
}
