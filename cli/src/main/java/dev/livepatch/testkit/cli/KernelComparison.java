package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.lifecycle.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Benchmark medians measured on several kernels in one run, each shown with its ratio to the first kernel's. */
final class KernelComparison {
    private final List<String> measures;
    private final Map<String, List<Duration>> byKernel = new LinkedHashMap<>();

    KernelComparison(List<String> measures) {
        this.measures = List.copyOf(measures);
    }

    /** One kernel's medians, in the order of the measures. */
    void add(String kernel, List<Duration> medians) {
        if (medians.size() != measures.size()) {
            throw new IllegalArgumentException(
                    "Expected " + measures.size() + " medians " + measures + " for " + kernel + ", got " + medians);
        }
        byKernel.put(kernel, List.copyOf(medians));
    }

    String render() {
        List<String> header = new ArrayList<>(List.of("kernel"));
        header.addAll(measures);
        TextTable table = new TextTable(header);
        List<Duration> first = byKernel.values().iterator().next();
        byKernel.forEach((kernel, medians) -> {
            List<String> row = new ArrayList<>(List.of(kernel));
            for (int i = 0; i < medians.size(); i++) {
                String figure = Durations.format(medians.get(i));
                row.add(medians == first ? figure : figure + " (" + ratio(medians.get(i), first.get(i)) + ")");
            }
            table.add(row);
        });
        return table.render() + "(ratios against the first kernel, measured in this run)\n";
    }

    private static String ratio(Duration figure, Duration base) {
        return String.format(Locale.ROOT, "%.2fx", figure.toNanos() / (double) base.toNanos());
    }
}
