package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --arches}: each kernel of a run on several architectures in turn. */
final class ArchListOption {
    @Option(
            names = "--arches",
            paramLabel = "ARCH,...",
            split = ",",
            converter = KernelOptions.ArchConverter.class,
            description = "Each kernel on each of these architectures (" + Arch.NAMES + "); the table has a row per"
                    + " kernel and architecture.")
    List<Arch> arches = new ArrayList<>();

    /** Whether the run goes across kernels or architectures, ending with their table. */
    boolean isMatrix(KernelListOption kernels) {
        return !kernels.kernels.isEmpty() || !arches.isEmpty();
    }

    /**
     * Each kernel of {@code --kernels} (else the one {@code single} names) on each architecture of {@code --arches}
     * (else {@code single}'s), kernel by kernel.
     */
    List<KernelTarget> targets(KernelListOption kernels, KernelOptions single) {
        List<KernelTarget> targets = new ArrayList<>();
        for (KernelSpec kernel : kernels.orElse(single)) {
            if (arches.isEmpty()) {
                targets.add(new KernelTarget(kernel, Optional.empty()));
            } else {
                arches.stream().distinct().forEach(arch -> targets.add(new KernelTarget(kernel, Optional.of(arch))));
            }
        }
        return targets;
    }
}
