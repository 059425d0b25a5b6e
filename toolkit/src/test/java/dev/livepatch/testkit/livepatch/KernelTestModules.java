package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.upstream.KernelSelftestSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The kernel's own livepatch test modules ({@code lib/livepatch/test_klp_*.c} of Debian's linux-source), built
 * natively against the kernel's headers: skipped when make or the headers are missing, failed then in CI.
 */
final class KernelTestModules {
    private KernelTestModules() {}

    /** Builds {@code names} (livepatches or fixtures as given) and returns their {@code .ko} files by name. */
    static Map<String, Path> build(Kernel kernel, Path staging, Map<String, PatchKind> names) {
        require(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, "make"))),
                "make is not installed");
        require(
                Files.isRegularFile(kernel.buildDir().resolve("Makefile")),
                "the headers of kernel " + kernel.release() + " are missing (" + kernel.buildDir() + ")");
        Path sources = KernelSelftestSources.fetch(kernel, Cache.standard(), Progress.silent())
                .resolve("lib/livepatch");
        try {
            List<PatchSource> patchSources = new ArrayList<>();
            for (Map.Entry<String, PatchKind> entry : names.entrySet()) {
                Path folder = Files.createDirectories(staging.resolve(entry.getKey()));
                Files.copy(sources.resolve(entry.getKey() + ".c"), folder.resolve(entry.getKey() + ".c"));
                patchSources.add(new PatchSource(entry.getKey(), entry.getValue(), "kernel selftest module", folder));
            }
            Map<String, Path> modules = new LinkedHashMap<>();
            for (BuiltModule module : ModuleBuilders.create("native", Cache.standard(), Progress.silent())
                    .build(kernel, patchSources)) {
                modules.put(module.name(), module.ko());
            }
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(boolean present, String missing) {
        if (!present && Settings.prerequisitesRequired()) {
            fail(missing + ", and CI requires the real-guest livepatch tests to run");
        }
        assumeTrue(present, missing);
    }
}
