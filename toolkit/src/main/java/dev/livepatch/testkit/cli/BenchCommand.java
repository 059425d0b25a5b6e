package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.build.BuildBenchmark;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.BootBenchmark;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", description = "Measure speed and print medians: 'bench boot' or 'bench build'.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "boot or build")
    String what;

    @Option(names = "--runs", description = "Samples per measurement (default: 5).")
    int runs = 5;

    @Mixin
    GuestOptions guestOptions = new GuestOptions();

    @Mixin
    BuildOptions buildOptions = new BuildOptions();

    @Override
    public Integer call() throws java.io.IOException {
        switch (what) {
            case "boot":
                return boot();
            case "build":
                return build();
            default:
                throw new IllegalArgumentException("Unknown benchmark '" + what + "'; available: boot, build");
        }
    }

    private int build() throws java.io.IOException {
        Progress progress = Progress.console();
        Kernel kernel = guestOptions.kernelOptions.resolve(progress);
        java.nio.file.Path scratch = java.nio.file.Files.createTempDirectory("lpt-bench-build-");
        try {
            BuildBenchmark.Figures figures = BuildBenchmark.run(
                    kernel, buildOptions.sources(List.of()), buildOptions.backend(), runs, scratch, Progress.silent());
            String label = figures.modules() + " modules, " + figures.backend() + " backend";
            print("cold build of all " + label, figures.cold(), figures.coldMedian(), Duration.ofSeconds(15));
            print("cached rebuild of all " + label, figures.cached(), figures.cachedMedian(), Duration.ofMillis(300));
            return 0;
        } finally {
            Cache.deleteRecursively(scratch);
        }
    }

    private int boot() {
        Progress progress = Progress.console();
        GuestOptions.Prepared prepared = guestOptions.prepare(progress);
        BootBenchmark.Figures figures =
                BootBenchmark.run(prepared.kernel(), prepared.image(), prepared.machine(), runs, progress);
        print("cold boot to a working SSH command", figures.cold(), figures.coldMedian(), Duration.ofSeconds(6));
        print(
                "start from snapshot to a working SSH command",
                figures.snapshotStart(),
                figures.snapshotStartMedian(),
                Duration.ofMillis(600));
        print("reset to a working SSH command", figures.reset(), figures.resetMedian(), Duration.ofMillis(400));
        System.out.printf(
                Locale.ROOT,
                "snapshot start is %.1fx faster than a cold boot%n",
                figures.coldMedian().toNanos()
                        / (double) figures.snapshotStartMedian().toNanos());
        return 0;
    }

    private static void print(String label, List<Duration> samples, Duration median, Duration target) {
        System.out.printf(
                Locale.ROOT,
                "%-46s median %8s  (target %s, %.2fx of target; samples %s)%n",
                label,
                Durations.format(median),
                Durations.format(target),
                median.toNanos() / (double) target.toNanos(),
                samples.stream().map(Durations::format).toList());
    }
}
