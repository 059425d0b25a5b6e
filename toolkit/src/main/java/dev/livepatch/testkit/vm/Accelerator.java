package dev.livepatch.testkit.vm;

import java.util.List;

/** How QEMU runs the guest's CPU: hardware virtualisation, or emulation. */
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
