package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/** Benchmark medians measured on several kernels in one run, each with its ratio to the first kernel's. */
@API(status = INTERNAL, since = "0.2")
public final class KernelComparison {
    private final List<String> measures;
    private final Map<String, List<Duration>> byKernel = new LinkedHashMap<>();

    public KernelComparison(List<String> measures) {
        this.measures = List.copyOf(measures);
    }

    /**
     * One kernel's medians and, after the first kernel, each one's ratio to the first kernel's.
     *
     * @param ratios empty for the first kernel
     */
    public record Row(String kernel, List<Duration> medians, Optional<List<Double>> ratios) {}

    /** One kernel's medians, in the order of the measures; a kernel measured again keeps only its last. */
    public void add(String kernel, List<Duration> medians) {
        if (medians.size() != measures.size()) {
            throw new IllegalArgumentException(
                    "Expected " + measures.size() + " medians " + measures + " for " + kernel + ", got " + medians);
        }
        byKernel.put(kernel, List.copyOf(medians));
    }

    public List<String> measures() {
        return measures;
    }

    public List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        if (byKernel.isEmpty()) {
            return rows;
        }
        List<Duration> first = byKernel.values().iterator().next();
        byKernel.forEach((kernel, medians) -> rows.add(
                new Row(kernel, medians, medians == first ? Optional.empty() : Optional.of(ratios(medians, first)))));
        return rows;
    }

    private static List<Double> ratios(List<Duration> medians, List<Duration> first) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < medians.size(); i++) {
            ratios.add(medians.get(i).toNanos() / (double) first.get(i).toNanos());
        }
        return ratios;
    }
}
