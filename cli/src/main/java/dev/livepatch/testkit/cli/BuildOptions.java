package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.module.KernelModule;
import dev.livepatch.testkit.module.ShippedModules;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /**
     * The named modules for {@code kernel}: those that are folders of the patches folder built in one run, the others
     * the kernel's own modules of that name.
     */
    Map<String, KernelModule> resolve(Kernel kernel, List<String> names, Progress progress) {
        Path patches = PatchSources.standardDirectory();
        Map<String, KernelModule> modules = new LinkedHashMap<>();
        List<String> patchNames = names.stream()
                .filter(name -> Files.isDirectory(patches.resolve(name)))
                .toList();
        if (!patchNames.isEmpty()) {
            build(kernel, patchNames, progress).forEach(built -> modules.put(built.name(), built.module()));
        }
        ShippedModules shipped = new ShippedModules(kernel, Cache.standard());
        names.stream()
                .filter(name -> !patchNames.contains(name))
                .forEach(name -> modules.put(name, shipped.find(name)));
        return modules;
    }
}
