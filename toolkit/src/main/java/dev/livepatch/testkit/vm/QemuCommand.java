package dev.livepatch.testkit.vm;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The QEMU command line of a guest: direct kernel boot, serial console on stdout, QMP socket, user networking
 * with a loopback-only forward to the guest's SSH port, and a qcow2 drive that only holds snapshots.
 */
record QemuCommand(
        String name,
        Path kernel,
        Path initramfs,
        String kernelArguments,
        Machine machine,
        Accelerator accelerator,
        Path qmpSocket,
        Path stateDrive,
        Optional<String> loadSnapshot) {

    static final String BINARY = "qemu-system-x86_64";

    /** Arguments every guest gets: quiet boot, panic ends QEMU, no time lost on hardware we do not use. */
    static final String BASE_KERNEL_ARGUMENTS =
            "console=ttyS0 panic=-1 oops=panic quiet loglevel=4 mitigations=off i8042.noaux i8042.nokbd"
                    + " i8042.nopnp tsc=reliable no_timer_check cryptomgr.notests random.trust_cpu=on ";

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
                (BASE_KERNEL_ARGUMENTS + " " + kernelArguments).strip(),
                "-serial",
                "stdio",
                "-qmp",
                "unix:" + qmpSocket + ",server=on,wait=off",
                "-netdev",
                "user,id=net0,hostfwd=tcp:127.0.0.1:0-:22",
                "-device",
                "virtio-net-pci,netdev=net0,romfile=",
                "-drive",
                "if=none,id=state,format=qcow2,file=" + stateDrive));
        loadSnapshot.ifPresent(tag -> args.addAll(List.of("-loadvm", tag)));
        return args;
    }
}
