package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.KernelComparison;
import dev.livepatch.testkit.bench.SelftestsBenchmark;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "selftests",
        description = "The kernel's own livepatch selftest scripts, then the toolkit's suite on the cases they passed,"
                + " each timed as a whole run; exits 1 when a case failed.")
final class BenchSelftestsCommand implements Callable<Integer> {
    @Mixin
    KernelListOption kernelList = new KernelListOption();

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Override
    public Integer call() throws IOException {
        Progress progress = Progress.console();
        List<KernelSpec> kernels = kernelList.orElse(kernelOptions);
        KernelComparison comparison = new KernelComparison(SelftestsBenchmark.MEASURES);
        boolean allPassed = true;
        try (LauncherSuites suites = new LauncherSuites(System.out)) {
            for (KernelSpec spec : kernels) {
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
        BenchOutput.printComparison(comparison);
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
}
