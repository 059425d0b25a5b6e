package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelSpec;
import java.util.Optional;

/**
 * One row of a run across kernels and architectures: a kernel, and the architecture it is built and booted for when
 * {@code --arches} names one (otherwise {@code --arch}'s, or the setting's).
 */
record KernelTarget(KernelSpec kernel, Optional<Arch> arch) {
    /** The row's name in tables and report folders, e.g. {@code source:debian:sid on arm64}. */
    String label() {
        return kernel + arch.map(chosen -> " on " + chosen.name()).orElse("");
    }
}
