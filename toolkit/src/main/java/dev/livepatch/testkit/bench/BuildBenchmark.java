package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kbuild.KbuildModuleBuilder;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Measures module builds: a cold build of all given patches (into an empty cache, so kbuild compiles everything)
 * and a rebuild of all of them from the cache.
 */
@API(status = INTERNAL, since = "0.1")
public final class BuildBenchmark {
    /** The columns of {@link Figures#medians()}, to compare kernels by. */
    public static final List<String> MEASURES = List.of("cold build", "cached rebuild");

    private BuildBenchmark() {}

    /** All samples of each measurement, and their medians. */
    public record Figures(String backend, int modules, List<Duration> cold, List<Duration> cached) {
        public Duration coldMedian() {
            return Durations.median(cold);
        }

        public Duration cachedMedian() {
            return Durations.median(cached);
        }

        public List<Measurement> measurements() {
            String what = modules + " modules, " + backend + " backend";
            return List.of(
                    new Measurement("cold build of all " + what, cold, Duration.ofSeconds(15)),
                    new Measurement("cached rebuild of all " + what, cached, Duration.ofMillis(300)));
        }

        /** The medians of {@link #MEASURES}. */
        public List<Duration> medians() {
            return List.of(coldMedian(), cachedMedian());
        }
    }

    /**
     * Runs {@code runs} cold builds, each into a fresh cache in a new temporary folder, then {@code runs} cached
     * rebuilds; the folder is removed afterwards.
     */
    public static Figures run(Kernel kernel, List<PatchSource> sources, String backend, int runs, Progress progress)
            throws IOException {
        Path scratch = Files.createTempDirectory("lpt-bench-build-");
        List<Cache> caches = new ArrayList<>();
        try {
            List<Duration> cold = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Cache cache = new Cache(freshFolder(scratch));
                caches.add(cache);
                cold.add(time(
                        () -> ModuleBuilders.create(backend, cache, progress).build(kernel, sources)));
            }
            List<Duration> cached = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                cached.add(time(() -> requireAllCached(
                        ModuleBuilders.create(backend, caches.get(0), progress).build(kernel, sources))));
            }
            return new Figures(backend, sources.size(), cold, cached);
        } finally {
            caches.forEach(Cache::clean);
            Folders.deleteRecursively(scratch);
        }
    }

    private static void requireAllCached(List<BuiltModule> modules) {
        modules.stream().filter(module -> !module.fromCache()).findFirst().ifPresent(module -> {
            throw new ModuleBuildException(
                    "Module " + module.name() + " was rebuilt in a cached run;" + " its cache key is not stable (see "
                            + module.ko().resolveSibling(KbuildModuleBuilder.INPUTS_FILE) + ").");
        });
    }

    private static Duration time(Runnable build) {
        long start = System.nanoTime();
        build.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Path freshFolder(Path scratch) {
        try {
            Files.createDirectories(scratch);
            return Files.createTempDirectory(scratch, "bench-cache-");
        } catch (IOException e) {
            throw new ModuleBuildException("Could not create a benchmark cache in " + scratch, e);
        }
    }
}
