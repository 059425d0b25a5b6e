package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.BootBenchmark;
import dev.livepatch.testkit.bench.BuildBenchmark;
import dev.livepatch.testkit.bench.SourceBenchmark;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.upstream.KernelSelftests;
import dev.livepatch.testkit.vm.GuestPlan;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "bench",
        description = "Measure speed and print medians: 'bench boot', 'bench build', 'bench selftests' or 'bench"
                + " source'.")
final class BenchCommand implements Callable<Integer> {
    @Parameters(paramLabel = "WHAT", description = "boot, build, selftests or source")
    String what;

    @Option(
            names = "--suite",
            paramLabel = "SUITE",
            description = "bench source: the Debian suite whose linux-source is built (default: sid).")
    String suite = "sid";

    @Option(
            names = "--diff",
            paramLabel = "DIFF",
            description = "bench source: the one-function diff klp-build turns into a livepatch (default:"
                    + " diffs/cmdline.patch).")
    Path diff = Path.of("diffs", "cmdline.patch");

    @Option(names = "--runs", description = "Samples per measurement (default: 5).")
    int runs = 5;

    /** Measures on each kernel in turn, then compares each with the first. */
    @Mixin
    KernelListOption kernelList = new KernelListOption();

    @Mixin
    GuestOptions guestOptions = new GuestOptions();

    @Mixin
    BuildOptions buildOptions = new BuildOptions();

    @Override
    public Integer call() throws IOException {
        switch (what) {
            case "boot":
                return boot();
            case "build":
                return build();
            case "selftests":
                return selftests();
            case "source":
                return source();
            default:
                throw new IllegalArgumentException(
                        "Unknown benchmark '" + what + "'; available: boot, build, selftests, source");
        }
    }

    private int build() throws IOException {
        Progress progress = Progress.console();
        KernelComparison comparison = new KernelComparison(List.of("cold build", "cached rebuild"));
        for (KernelSpec spec : kernelSpecs()) {
            Kernel kernel = KernelOptions.resolve(spec, progress);
            Path scratch = Files.createTempDirectory("lpt-bench-build-");
            try {
                BuildBenchmark.Figures figures = BuildBenchmark.run(
                        kernel,
                        buildOptions.sources(List.of()),
                        buildOptions.backend(),
                        runs,
                        scratch,
                        Progress.silent());
                String label = figures.modules() + " modules, " + figures.backend() + " backend";
                System.out.println(kernel.release() + ":");
                print("cold build of all " + label, figures.cold(), figures.coldMedian(), Duration.ofSeconds(15));
                print(
                        "cached rebuild of all " + label,
                        figures.cached(),
                        figures.cachedMedian(),
                        Duration.ofMillis(300));
                comparison.add(kernel.release(), List.of(figures.coldMedian(), figures.cachedMedian()));
            } finally {
                Cache.deleteRecursively(scratch);
            }
        }
        printComparison(comparison);
        return 0;
    }

    /** One sample of each step of a kernel developer's day on a fresh copy of a Debian suite's source tree. */
    private int source() throws IOException {
        SourceBenchmark.Figures figures = SourceBenchmark.run(
                suite,
                Settings.inProject(Settings.PROJECT_DIR.get(), diff),
                guestOptions.machine(),
                Progress.console());
        System.out.println(figures.tree() + ", kernel " + figures.release() + ", make -j"
                + Settings.SOURCE_BUILD_JOBS.get() + ":");
        System.out.printf(
                Locale.ROOT,
                "  first build, x86_64_defconfig + livepatch-guest.config:           %s%n",
                Durations.format(figures.plainBuild()));
        System.out.printf(
                Locale.ROOT,
                "  first build, default configuration (+ trim.config):                %s  %.2fx the plain build%n",
                Durations.format(figures.defaultBuild()),
                figures.defaultAgainstPlain());
        System.out.printf(
                Locale.ROOT,
                "  one function edited: rebuild, install, boot to a working SSH command: %s%n",
                Durations.format(figures.rebuildAndBoot()));
        System.out.printf(
                Locale.ROOT,
                "  klp-build of %s on the recorded original build:            %s%n",
                diff.getFileName(),
                Durations.format(figures.klpBuild()));
        return 0;
    }

    /**
     * The kernel's own scripts ({@code kernel-selftests}) on a guest, then the same cases through the toolkit
     * ({@code selftests}, with the run's default {@code -j}), each timed as a whole run, one after the other.
     */
    private int selftests() throws IOException {
        Progress progress = Progress.console();
        KernelComparison comparison = new KernelComparison(List.of("toolkit (wall)", "kernel's scripts (wall)"));
        boolean allPassed = true;
        for (KernelSpec spec : kernelSpecs()) {
            Kernel kernel = new GuestPlan(spec.toString(), "selftest", guestOptions.machine())
                    .prepare(progress)
                    .kernel();
            // Both sides' modules are built before the clock starts: only running the cases is compared.
            KernelSelftests.prepare(kernel, Cache.standard(), progress);
            Timed upstream = timedSuite(spec, "kernel-selftests", Optional.empty());
            Timed ours = timedSuite(
                    spec,
                    "selftests",
                    Optional.of(SameCases.toolkitTestsOf(upstream.result().outcomes())));
            print(kernel, "kernel's scripts:", upstream);
            print(kernel, "toolkit suite, their cases at -j " + ours.parallel() + ":", ours);
            SameCases same =
                    SameCases.of(ours.result().outcomes(), upstream.result().outcomes());
            System.out.printf(
                    Locale.ROOT,
                    "%s: kernel's scripts / toolkit wall time: %.2f (case times added up: toolkit %s, kernel's scripts"
                            + " %s, over the %d cases both passed)%n",
                    kernel.release(),
                    upstream.wall().toNanos() / (double) ours.wall().toNanos(),
                    Durations.format(same.toolkit()),
                    Durations.format(same.kernelScripts()),
                    same.count());
            comparison.add(kernel.release(), List.of(ours.wall(), upstream.wall()));
            allPassed &= ours.result().summary().getTotalFailureCount() == 0
                    && upstream.result().summary().getTotalFailureCount() == 0;
        }
        printComparison(comparison);
        return allPassed ? 0 : 1;
    }

    private record Timed(SuiteRunner.Result result, Duration wall, int parallel) {}

    private static Timed timedSuite(KernelSpec spec, String suite, Optional<PostDiscoveryFilter> only)
            throws IOException {
        Path reports = Files.createTempDirectory("lpt-bench-selftests-");
        SuiteRunner all = new SuiteRunner(System.out, reports).onKernel(spec, reports);
        SuiteRunner runner = only.map(all::onlyTests).orElse(all);
        long start = System.nanoTime();
        try {
            SuiteRunner.Result result = runner.run(List.of(suite), Shard.ALL);
            return new Timed(result, Duration.ofNanos(System.nanoTime() - start), runner.parallel());
        } finally {
            Cache.deleteRecursively(reports);
        }
    }

    private static void print(Kernel kernel, String what, Timed timed) {
        TestExecutionSummary summary = timed.result().summary();
        System.out.printf(
                Locale.ROOT,
                "%s: %s %d/%d cases passed, %d skipped, in %s (whole run)%n",
                kernel.release(),
                what,
                summary.getTestsSucceededCount(),
                summary.getTestsFoundCount(),
                summary.getTestsSkippedCount() + summary.getTestsAbortedCount(),
                Durations.format(timed.wall()));
    }

    private int boot() {
        Progress progress = Progress.console();
        KernelComparison comparison = new KernelComparison(List.of("cold boot", "start from snapshot", "reset"));
        for (KernelSpec spec : kernelSpecs()) {
            GuestPlan.Prepared prepared = guestOptions.prepare(spec, progress);
            BootBenchmark.Figures figures =
                    BootBenchmark.run(prepared.kernel(), prepared.image(), prepared.machine(), runs, progress);
            System.out.println(prepared.kernel().release() + ":");
            print("cold boot to a working SSH command", figures.cold(), figures.coldMedian(), Duration.ofSeconds(6));
            print(
                    "start from snapshot to a working SSH command",
                    figures.snapshotStart(),
                    figures.snapshotStartMedian(),
                    Duration.ofMillis(600));
            print("reset to a working SSH command", figures.reset(), figures.resetMedian(), Duration.ofMillis(400));
            printFloor("start from snapshot", figures.snapshotStartMedian(), figures.floorStart());
            printFloor("reset", figures.resetMedian(), figures.floorReset());
            System.out.printf(
                    Locale.ROOT,
                    "snapshot start is %.1fx faster than a cold boot%n",
                    figures.coldMedian().toNanos()
                            / (double) figures.snapshotStartMedian().toNanos());
            comparison.add(
                    prepared.kernel().release(),
                    List.of(figures.coldMedian(), figures.snapshotStartMedian(), figures.resetMedian()));
        }
        printComparison(comparison);
        return 0;
    }

    private List<KernelSpec> kernelSpecs() {
        return kernelList.kernels.isEmpty() ? List.of(guestOptions.kernelOptions.spec()) : kernelList.kernels;
    }

    private void printComparison(KernelComparison comparison) {
        if (kernelSpecs().size() > 1) {
            System.out.println();
            System.out.print(comparison.render());
        }
    }

    /** The toolkit against the same job done by hand: plain QEMU, loadvm over QMP, OpenSSH's ssh ... true. */
    private static void printFloor(String what, Duration toolkit, List<Duration> floor) {
        Duration floorMedian = Durations.median(floor);
        System.out.printf(
                Locale.ROOT,
                "%-46s median %8s  (by hand: plain QEMU + OpenSSH, samples %s): the toolkit takes %.2fx the floor%n",
                what + " floor",
                Durations.format(floorMedian),
                floor.stream().map(Durations::format).toList(),
                toolkit.toNanos() / (double) floorMedian.toNanos());
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
