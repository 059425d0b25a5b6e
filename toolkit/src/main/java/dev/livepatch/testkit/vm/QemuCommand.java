package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.ssh.kept.SessionPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The QEMU command line of a guest: direct kernel boot, no default devices, serial console on stdout, user networking
 * with a loopback-only forward to the guest's SSH port, and, once the guest has a run folder, a QMP socket, a virtio
 * serial port for the SSH session that a snapshot keeps (its host end a socket beside the QMP socket) and a qcow2 drive
 * that only holds snapshots. Made by a {@link Builder}; {@link #toBuilder()} derives a guest's own command from the
 * one its kernel, image and machine share.
 *
 * @param sshPort the host's loopback port forwarded to the guest's SSH port; 0 lets QEMU pick a free one
 * @param loadSnapshot the snapshot of the state drive to start from instead of booting, or null
 * @param paused whether the CPUs wait for a {@code cont} after QEMU starts
 * @param arch the guest's architecture: its emulator, board, serial console and device bus
 * @param binary the emulator to start, a path (see {@link Emulators}); null for {@code arch}'s, by name
 */
record QemuCommand(
        Path kernel,
        Path initramfs,
        String kernelArguments,
        String name,
        Machine machine,
        Accelerator accelerator,
        int sshPort,
        Path qmpSocket,
        Path stateDrive,
        boolean ioUring,
        String loadSnapshot,
        boolean paused,
        Arch arch,
        String binary) {

    static final String BINARY = Arch.X86_64.qemu().binary();

    /** The board every x86_64 guest runs on (and the KVM probe, which must answer for the guests' board). */
    static final String MACHINE_TYPE = Arch.X86_64.qemu().machine();

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

    /** The emulator this command starts. */
    String emulator() {
        return binary == null ? arch.qemu().binary() : binary;
    }

    /** A command booting {@code kernel} with {@code initramfs} on a default machine under TCG, to be completed. */
    static Builder directBoot(Path kernel, Path initramfs) {
        return new Builder(kernel, initramfs);
    }

    Builder toBuilder() {
        return new Builder(this);
    }

    /** The host end of the guest's SSH port, beside the QMP socket. */
    Path sessionSocket() {
        return qmpSocket == null ? null : qmpSocket.resolveSibling("ssh.sock");
    }

    String append() {
        return (baseKernelArguments(arch) + " " + kernelArguments).strip();
    }

    /**
     * {@link #BASE_KERNEL_ARGUMENTS} for {@code arch}: its serial console; the HPET clock ({@code tsc=unstable}) is
     * x86's alone (other architectures' timers are restored with a snapshot).
     */
    static String baseKernelArguments(Arch arch) {
        if (arch.equals(Arch.X86_64)) {
            return BASE_KERNEL_ARGUMENTS;
        }
        return BASE_KERNEL_ARGUMENTS
                .replace("console=ttyS0", "console=" + arch.qemu().console())
                .replace(" tsc=unstable", "");
    }

    List<String> arguments() {
        QemuArguments arguments = new QemuArguments(emulator(), arch.qemu().bus())
                .name(name)
                .bareMachine(arch.qemu().machine())
                .noReboot()
                .size(machine)
                .accelerator(accelerator, arch)
                .directBoot(kernel, initramfs, append())
                .serialOnStdout()
                .sshForward(sshPort);
        if (qmpSocket != null) {
            arguments.qmp(qmpSocket).serialPort(SessionPort.NAME, sessionSocket());
        }
        if (stateDrive != null) {
            arguments.stateDrive(stateDrive, ioUring);
        }
        if (loadSnapshot != null) {
            arguments.loadSnapshot(loadSnapshot);
        }
        if (paused) {
            arguments.paused();
        }
        return arguments.list();
    }

    /**
     * The arguments without what differs from guest to guest (name, SSH port, sockets, drive, snapshot to load, pause)
     * and without host folders: a snapshot saved by one command can only be loaded by a command of the same shape,
     * wherever the files it boots are (the cache may move; the files' content is keyed separately). The emulator is
     * named by its program's name; its version is keyed separately too.
     */
    List<String> shape() {
        return toBuilder()
                .binary(Path.of(emulator()).getFileName().toString())
                .bootFiles(kernel.getFileName(), initramfs.getFileName())
                .name("guest")
                .sshPort(0)
                .qmpSocket(Path.of("qmp.sock"))
                .stateDrive(Path.of("state.qcow2"))
                .loadSnapshot(null)
                .paused(false)
                .build()
                .arguments();
    }

    /** Sets one part of a command at a time; what is not set keeps its default, or the value it was derived from. */
    static final class Builder {
        private Path kernel;
        private Path initramfs;
        private String kernelArguments = "";
        private String name = "guest";
        private Machine machine = new Machine(1, 512);
        private Accelerator accelerator = Accelerator.TCG;
        private int sshPort;
        private Path qmpSocket;
        private Path stateDrive;
        private boolean ioUring;
        private String loadSnapshot;
        private boolean paused;
        private Arch arch = Arch.X86_64;
        private String binary;

        private Builder(Path kernel, Path initramfs) {
            bootFiles(kernel, initramfs);
        }

        private Builder(QemuCommand command) {
            this(command.kernel, command.initramfs);
            kernelArguments = command.kernelArguments;
            name = command.name;
            machine = command.machine;
            accelerator = command.accelerator;
            sshPort = command.sshPort;
            qmpSocket = command.qmpSocket;
            stateDrive = command.stateDrive;
            ioUring = command.ioUring;
            loadSnapshot = command.loadSnapshot;
            paused = command.paused;
            arch = command.arch;
            binary = command.binary;
        }

        private Builder bootFiles(Path bootKernel, Path bootInitramfs) {
            kernel = bootKernel;
            initramfs = bootInitramfs;
            return this;
        }

        /** Kernel arguments after {@link #BASE_KERNEL_ARGUMENTS}. */
        Builder kernelArguments(String extra) {
            kernelArguments = extra;
            return this;
        }

        Builder name(String guestName) {
            name = guestName;
            return this;
        }

        Builder machine(Machine hardware) {
            machine = hardware;
            return this;
        }

        Builder accelerator(Accelerator chosen) {
            accelerator = chosen;
            return this;
        }

        Builder sshPort(int hostPort) {
            sshPort = hostPort;
            return this;
        }

        Builder qmpSocket(Path socket) {
            qmpSocket = socket;
            return this;
        }

        Builder stateDrive(Path qcow2) {
            stateDrive = qcow2;
            return this;
        }

        /** Reads and writes the state drive through io_uring (faster {@code loadvm}; see {@link IoUring}). */
        Builder ioUring(boolean enabled) {
            ioUring = enabled;
            return this;
        }

        /** Starts from the snapshot {@code tag} of the state drive instead of booting; null boots. */
        Builder loadSnapshot(String tag) {
            loadSnapshot = tag;
            return this;
        }

        Builder paused(boolean waitForCont) {
            paused = waitForCont;
            return this;
        }

        /** The guest's architecture (x86_64 unless set); its emulator too, unless {@link #binary(String)} names one. */
        Builder arch(Arch guestArch) {
            arch = guestArch;
            return this;
        }

        /** The emulator to start, a name on PATH or a path; null: the architecture's own. */
        Builder binary(String emulator) {
            binary = emulator;
            return this;
        }

        QemuCommand build() {
            return new QemuCommand(
                    kernel,
                    initramfs,
                    kernelArguments,
                    name,
                    machine,
                    accelerator,
                    sshPort,
                    qmpSocket,
                    stateDrive,
                    ioUring,
                    loadSnapshot,
                    paused,
                    arch,
                    binary);
        }
    }
}
