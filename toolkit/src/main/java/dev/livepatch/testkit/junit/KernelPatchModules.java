package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.source.SourceKernels;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
    public BuiltModule fromDiff(Path diff, DiffOptions options) {
        Path inProject = Settings.inProject(Settings.PROJECT_DIR.get(), diff);
        return SourceKernels.fromDiff(kernel, inProject, options, Cache.standard(), Progress.console());
    }

    /** Sources do not change during a test run, so each module is asked of the builder once. */
    private final Map<String, BuiltModule> built = new HashMap<>();

    @Override
    public synchronized List<BuiltModule> build(List<String> names) {
        List<String> missing = names.stream()
                .filter(name -> !built.containsKey(name))
                .distinct()
                .toList();
        if (missing.isEmpty()) {
            return names.stream().map(built::get).toList();
        }
        if (builder == null) {
            builder = builders.get();
            // One kbuild run for every patch: a build container costs seconds to start, and later tests then find
            // their modules built. A patch that does not build leaves the others to be built as they are asked for.
            try {
                builder.build(kernel, PatchSources.scan(patchesDir)).forEach(m -> built.put(m.name(), m));
            } catch (ModuleBuildException e) {
                built.clear();
            }
        }
        List<String> stillMissing =
                missing.stream().filter(name -> !built.containsKey(name)).toList();
        if (!stillMissing.isEmpty()) {
            builder.build(kernel, PatchSources.select(patchesDir, stillMissing)).forEach(m -> built.put(m.name(), m));
        }
        return names.stream().map(built::get).toList();
    }
}
