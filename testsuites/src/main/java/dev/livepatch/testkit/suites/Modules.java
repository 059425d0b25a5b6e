package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.build.BuiltModule;
import dev.livepatch.testkit.build.ModuleBuilders;
import dev.livepatch.testkit.build.PatchSources;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The modules in {@code patches/}, built once per run for the configured kernel (unchanged ones come from the cache). */
final class Modules {
    private static final Map<String, Map<String, Path>> BY_RELEASE = new ConcurrentHashMap<>();

    private Modules() {}

    static Path ko(String name) {
        Kernel kernel = Kernels.resolve(Settings.KERNEL.get(), Cache.standard(), Progress.silent());
        Map<String, Path> modules =
                BY_RELEASE.computeIfAbsent(
                        kernel.release(),
                        release -> ModuleBuilders.standard(Progress.silent())
                                .build(kernel, PatchSources.scan(PatchSources.standardDirectory()))
                                .stream()
                                .collect(Collectors.toMap(BuiltModule::name, BuiltModule::ko)));
        Path ko = modules.get(name);
        if (ko == null) {
            throw new IllegalArgumentException("No module " + name + " in patches/ (have " + modules.keySet() + ")");
        }
        return ko;
    }
}
