package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.progress.Progress;
import java.util.List;
import picocli.CommandLine.Option;

/** How modules are built: {@code --builder native|container|auto}. */
final class BuildOptions {
    @Option(names = "--builder", paramLabel = "BACKEND", description = "native, container or auto (default: auto).")
    String builder;

    String backend() {
        return builder != null ? builder : Settings.BUILDER.get();
    }

    List<PatchSource> sources(List<String> names) {
        return names.isEmpty()
                ? PatchSources.scan(PatchSources.standardDirectory())
                : PatchSources.select(PatchSources.standardDirectory(), names);
    }

    List<BuiltModule> build(Kernel kernel, List<String> names, Progress progress) {
        return ModuleBuilders.create(backend(), Cache.standard(), progress).build(kernel, sources(names));
    }
}
