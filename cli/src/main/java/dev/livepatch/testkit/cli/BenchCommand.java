package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.BootBenchmark;
import dev.livepatch.testkit.bench.BuildBenchmark;
import dev.livepatch.testkit.bench.KernelComparison;
import dev.livepatch.testkit.bench.SelftestsBenchmark;
import dev.livepatch.testkit.bench.SourceBenchmark;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.GuestPlan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
        KernelComparison comparison = new KernelComparison(BuildBenchmark.MEASURES);
        for (KernelSpec spec : kernelSpecs()) {
            Kernel kernel = KernelOptions.resolve(spec, progress);
            BuildBenchmark.Figures figures = BuildBenchmark.run(
                    kernel, buildOptions.sources(List.of()), buildOptions.backend(), runs, Progress.silent());
            System.out.println(kernel.release() + ":");
            figures.measurements().forEach(BenchOutput::print);
            comparison.add(kernel.release(), figures.medians());
        }
        BenchOutput.printComparison(comparison, kernelSpecs());
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

    /** The kernel's own scripts, then the same cases through the toolkit, each timed as a whole run. */
    private int selftests() throws IOException {
        Progress progress = Progress.console();
        KernelComparison comparison = new KernelComparison(SelftestsBenchmark.MEASURES);
        boolean allPassed = true;
        try (LauncherSuites suites = new LauncherSuites(System.out)) {
            for (KernelSpec spec : kernelSpecs()) {
                SelftestsBenchmark.Figures figures = SelftestsBenchmark.run(spec, suites, progress);
                print(figures.release(), "kernel's scripts:", figures.kernelScripts());
                print(
                        figures.release(),
                        "toolkit suite, their cases at -j "
                                + figures.toolkit().run().parallel() + ":",
                        figures.toolkit());
                System.out.printf(
                        Locale.ROOT,
                        "%s: kernel's scripts / toolkit wall time: %.2f (case times added up: toolkit %s, kernel's"
                                + " scripts %s, over the %d cases both passed)%n",
                        figures.release(),
                        figures.scriptsOverToolkit(),
                        Durations.format(figures.same().toolkit()),
                        Durations.format(figures.same().kernelScripts()),
                        figures.same().count());
                comparison.add(figures.release(), figures.medians());
                allPassed &= figures.allPassed();
            }
        }
        BenchOutput.printComparison(comparison, kernelSpecs());
        return allPassed ? 0 : 1;
    }

    private static void print(String release, String what, SelftestsBenchmark.Timed timed) {
        System.out.printf(
                Locale.ROOT,
                "%s: %s %d/%d cases passed, %d skipped, in %s (whole run)%n",
                release,
                what,
                timed.run().passed(),
                timed.run().found(),
                timed.run().skipped(),
                Durations.format(timed.wall()));
    }

    private int boot() {
        Progress progress = Progress.console();
        KernelComparison comparison = new KernelComparison(BootBenchmark.MEASURES);
        for (KernelSpec spec : kernelSpecs()) {
            GuestPlan.Prepared prepared = guestOptions.prepare(spec, progress);
            BootBenchmark.Figures figures =
                    BootBenchmark.run(prepared.kernel(), prepared.image(), prepared.machine(), runs, progress);
            System.out.println(prepared.kernel().release() + ":");
            figures.measurements().forEach(BenchOutput::print);
            figures.floors().forEach(BenchOutput::print);
            System.out.printf(
                    Locale.ROOT, "snapshot start is %.1fx faster than a cold boot%n", figures.snapshotSpeedup());
            comparison.add(prepared.kernel().release(), figures.medians());
        }
        BenchOutput.printComparison(comparison, kernelSpecs());
        return 0;
    }

    private List<KernelSpec> kernelSpecs() {
        return kernelList.kernels.isEmpty() ? List.of(guestOptions.kernelOptions.spec()) : kernelList.kernels;
    }
}
