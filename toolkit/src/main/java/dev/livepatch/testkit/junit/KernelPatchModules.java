package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.build.BuiltModule;
import dev.livepatch.testkit.build.ModuleBuilder;
import dev.livepatch.testkit.build.PatchSources;
import dev.livepatch.testkit.kernel.Kernel;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** {@link PatchModules} for one kernel; the builder is made on first use, so classes that build nothing pay nothing. */
final class KernelPatchModules implements PatchModules {
    private final Kernel kernel;
    private final Path patchesDir;
    private final Supplier<ModuleBuilder> builders;
    private ModuleBuilder builder;

    KernelPatchModules(Kernel kernel, Path patchesDir, Supplier<ModuleBuilder> builders) {
        this.kernel = kernel;
        this.patchesDir = patchesDir;
        this.builders = builders;
    }

    @Override
    public synchronized List<BuiltModule> build(List<String> names) {
        if (builder == null) {
            builder = builders.get();
        }
        return builder.build(kernel, PatchSources.select(patchesDir, names));
    }
}
