package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

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

    List<String> arguments() {
        return arguments;
    }
}
