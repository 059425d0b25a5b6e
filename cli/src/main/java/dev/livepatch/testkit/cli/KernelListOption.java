package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --kernels}: several kernels in turn, each written as {@code --kernel} takes it. */
final class KernelListOption {
    @Option(
            names = "--kernels",
            paramLabel = "SPEC,...",
            split = ",",
            converter = KernelOptions.SpecConverter.class,
            description = "Each of these kernels in turn, each as --kernel takes it; the results end with a table of"
                    + " the kernels side by side.")
    List<KernelSpec> kernels = new ArrayList<>();

    @Option(
            names = "--arches",
            paramLabel = "ARCH,...",
            split = ",",
            converter = KernelOptions.ArchConverter.class,
            description = "Each kernel on each of these architectures (" + Arch.NAMES + "); the table has a row per"
                    + " kernel and architecture.")
    List<Arch> arches = new ArrayList<>();

    /** Whether the run goes across kernels or architectures, ending with their table. */
    boolean isMatrix() {
        return !kernels.isEmpty() || !arches.isEmpty();
    }

    /**
     * Each kernel of {@code --kernels} (else the one {@code single} names) on each architecture of {@code --arches}
     * (else {@code single}'s), kernel by kernel.
     */
    List<KernelTarget> targets(KernelOptions single) {
        List<KernelTarget> targets = new ArrayList<>();
        for (KernelSpec kernel : orElse(single)) {
            if (arches.isEmpty()) {
                targets.add(new KernelTarget(kernel, Optional.empty()));
            } else {
                arches.stream().distinct().forEach(arch -> targets.add(new KernelTarget(kernel, Optional.of(arch))));
            }
        }
        return targets;
    }

    /** The kernels of {@code --kernels}, else the one that {@code single} names (or its default). */
    List<KernelSpec> orElse(KernelOptions single) {
        return kernels.isEmpty() ? List.of(single.spec()) : kernels;
    }
}
