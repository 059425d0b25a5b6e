package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.BootBenchmark;
import dev.livepatch.testkit.bench.KernelComparison;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.GuestPlan;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "boot",
        description = "Cold boot, start from the boot snapshot and reset, each to a working SSH command; the start and"
                + " the reset also by hand (plain QEMU, OpenSSH) as the floor.")
final class BenchBootCommand implements Callable<Integer> {
    @Mixin
    RunsOption runs = new RunsOption();

    @Mixin
    KernelListOption kernelList = new KernelListOption();

    @Mixin
    GuestOptions guestOptions = new GuestOptions();

    @Override
    public Integer call() {
        Progress progress = Progress.console();
        List<KernelSpec> kernels = kernelList.orElse(guestOptions.kernelOptions);
        KernelComparison comparison = new KernelComparison(BootBenchmark.MEASURES);
        for (KernelSpec spec : kernels) {
            GuestPlan.Prepared prepared = guestOptions.prepare(spec, progress);
            BootBenchmark.Figures figures =
                    BootBenchmark.run(prepared.kernel(), prepared.image(), prepared.machine(), runs.runs, progress);
            System.out.println(prepared.kernel().release() + ":");
            figures.measurements().forEach(BenchOutput::print);
            if (!figures.hasSnapshots()) {
                Arch arch = prepared.kernel().arch();
                System.out.println("no start from snapshot or reset: " + arch + " guests boot cold, as QEMU's '"
                        + arch.qemu().machine().split(",")[0] + "' machine does not run on after loadvm here (Arch)");
                continue;
            }
            figures.floors().forEach(BenchOutput::print);
            System.out.printf(
                    Locale.ROOT, "snapshot start is %.1fx faster than a cold boot%n", figures.snapshotSpeedup());
            comparison.add(prepared.kernel().release(), figures.medians());
        }
        BenchOutput.printComparison(comparison);
        return 0;
    }
}
