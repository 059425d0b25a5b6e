package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.kernel.KernelSpec;
import java.util.ArrayList;
import java.util.List;
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

    /** The kernels of {@code --kernels}, else the one that {@code single} names (or its default). */
    List<KernelSpec> orElse(KernelOptions single) {
        return kernels.isEmpty() ? List.of(single.spec()) : kernels;
    }
}
