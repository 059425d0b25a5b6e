package dev.livepatch.testkit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The outcome of one run across kernels: a kernel × suite table of passed, failed and skipped tests. */
final class KernelMatrix {
    private final Map<String, Map<String, TagTally.Counts>> byKernel = new LinkedHashMap<>();

    void add(String kernel, Map<String, TagTally.Counts> bySuite) {
        byKernel.put(kernel, bySuite);
    }

    /** Whether any kernel had a failing test. */
    boolean anyFailed() {
        return byKernel.values().stream()
                .flatMap(suites -> suites.values().stream())
                .anyMatch(counts -> counts.failed() > 0);
    }

    /** The table, one row per kernel and one column per suite, in plain text. */
    String render() {
        List<String> suites = new ArrayList<>(new TreeSet<>(byKernel.values().stream()
                .flatMap(bySuite -> bySuite.keySet().stream())
                .toList()));
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("kernel"));
        header.addAll(suites);
        rows.add(header);
        byKernel.forEach((kernel, bySuite) -> {
            List<String> row = new ArrayList<>(List.of(kernel));
            suites.forEach(suite -> row.add(
                    bySuite.getOrDefault(suite, new TagTally.Counts(0, 0, 0)).describe()));
            rows.add(row);
        });
        int[] widths = new int[header.size()];
        rows.forEach(row -> {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        });
        StringBuilder table = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.size(); i++) {
                line.append(i == 0 ? "" : " | ").append(String.format("%-" + widths[i] + "s", row.get(i)));
            }
            table.append(line.toString().stripTrailing()).append('\n');
        }
        return table.toString();
    }
}
