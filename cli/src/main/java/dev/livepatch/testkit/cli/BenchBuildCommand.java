package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.BuildBenchmark;
import dev.livepatch.testkit.bench.KernelComparison;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "build",
        description = "Cold builds of every module of patches/ (each into an empty cache), then rebuilds from the"
                + " cache.")
final class BenchBuildCommand implements Callable<Integer> {
    @Mixin
    RunsOption runs = new RunsOption();

    @Mixin
    KernelListOption kernelList = new KernelListOption();

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    BuildOptions buildOptions = new BuildOptions();

    @Override
    public Integer call() throws IOException {
        Progress progress = Progress.console();
        List<KernelSpec> kernels = kernelList.orElse(kernelOptions);
        KernelComparison comparison = new KernelComparison(BuildBenchmark.MEASURES);
        for (KernelSpec spec : kernels) {
            Kernel kernel = kernelOptions.resolve(spec, progress);
            BuildBenchmark.Figures figures = BuildBenchmark.run(
                    kernel, buildOptions.sources(List.of()), buildOptions.backend(), runs.runs, Progress.silent());
            System.out.println(kernel.release() + ":");
            figures.measurements().forEach(BenchOutput::print);
            comparison.add(kernel.release(), figures.medians());
        }
        BenchOutput.printComparison(comparison);
        return 0;
    }
}
