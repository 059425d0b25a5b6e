package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.FloorComparison;
import dev.livepatch.testkit.bench.KernelComparison;
import dev.livepatch.testkit.bench.Measurement;
import dev.livepatch.testkit.lifecycle.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How the benchmarks print their figures: a line per measurement or floor, then several kernels side by side. */
final class BenchOutput {
    private BenchOutput() {}

    static void print(Measurement measurement) {
        System.out.print(line(measurement));
    }

    static void print(FloorComparison floor) {
        System.out.print(line(floor));
    }

    static String line(Measurement measurement) {
        return String.format(
                Locale.ROOT,
                "%-46s median %8s  (target %s, %.2fx of target; samples %s)%n",
                measurement.label(),
                Durations.format(measurement.median()),
                Durations.format(measurement.target()),
                measurement.ofTarget(),
                formatted(measurement.samples()));
    }

    /** The toolkit against the same job done by hand: plain QEMU, loadvm over QMP, OpenSSH's ssh ... true. */
    static String line(FloorComparison floor) {
        return String.format(
                Locale.ROOT,
                "%-46s median %8s  (by hand: plain QEMU + OpenSSH, samples %s): the toolkit takes %.2fx the floor%n",
                floor.what() + " floor",
                Durations.format(floor.floorMedian()),
                formatted(floor.floor()),
                floor.ratio());
    }

    /** The table of kernels side by side, when more than one was measured. */
    static void printComparison(KernelComparison comparison) {
        if (comparison.rows().size() > 1) {
            System.out.println();
            System.out.print(render(comparison));
        }
    }

    static String render(KernelComparison comparison) {
        List<String> header = new ArrayList<>(List.of("kernel"));
        header.addAll(comparison.measures());
        TextTable table = new TextTable(header);
        for (KernelComparison.Row kernel : comparison.rows()) {
            List<String> row = new ArrayList<>(List.of(kernel.kernel()));
            for (int i = 0; i < kernel.medians().size(); i++) {
                String figure = Durations.format(kernel.medians().get(i));
                int measure = i;
                row.add(kernel.ratios()
                        .map(ratios -> figure + " (" + String.format(Locale.ROOT, "%.2fx", ratios.get(measure)) + ")")
                        .orElse(figure));
            }
            table.add(row);
        }
        return table.render() + "(ratios against the first kernel, measured in this run)\n";
    }

    private static List<String> formatted(List<Duration> samples) {
        return samples.stream().map(Durations::format).toList();
    }
}
