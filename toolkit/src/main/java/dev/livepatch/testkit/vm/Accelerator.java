package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.config.Arch;
import java.util.List;
import org.apiguardian.api.API;

/** How QEMU runs the guest's CPU: hardware virtualisation, or emulation. */
@API(status = STABLE, since = "0.1")
public enum Accelerator {
    KVM(List.of("-accel", "kvm", "-cpu", "host")),
    TCG(List.of("-accel", "tcg,thread=multi", "-cpu", "max"));

    private final List<String> arguments;

    Accelerator(List<String> arguments) {
        this.arguments = arguments;
    }

    /**
     * The options for a guest of {@code arch}: KVM runs the host's CPU; TCG emulates the architecture's CPU model
     * ({@link Arch.Qemu#cpu()}), or {@code max} when it names none.
     */
    List<String> arguments(Arch arch) {
        if (this == TCG && !arch.qemu().cpu().isEmpty()) {
            return List.of(
                    arguments.get(0), arguments.get(1), "-cpu", arch.qemu().cpu());
        }
        return arguments;
    }
}
