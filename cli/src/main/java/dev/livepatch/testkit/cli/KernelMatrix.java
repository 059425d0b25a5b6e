package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.report.HtmlReport;
import java.nio.file.Path;
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

    /** The table as the index page of the kernels' HTML reports, each kernel linked to its page. */
    String html(Map<String, Path> pages) {
        Map<String, Map<String, String>> cells = new LinkedHashMap<>();
        byKernel.forEach((kernel, bySuite) -> {
            Map<String, String> row = new LinkedHashMap<>();
            bySuite.forEach((suite, counts) -> row.put(suite, counts.describe()));
            cells.put(kernel, row);
        });
        return HtmlReport.index(pages, cells, suites());
    }

    /** The table, one row per kernel and one column per suite, in plain text. */
    String render() {
        List<String> suites = suites();
        List<String> header = new ArrayList<>(List.of("kernel"));
        header.addAll(suites);
        TextTable table = new TextTable(header);
        byKernel.forEach((kernel, bySuite) -> {
            List<String> row = new ArrayList<>(List.of(kernel));
            suites.forEach(suite -> row.add(
                    bySuite.getOrDefault(suite, new TagTally.Counts(0, 0, 0)).describe()));
            table.add(row);
        });
        return table.render();
    }

    private List<String> suites() {
        return new ArrayList<>(new TreeSet<>(byKernel.values().stream()
                .flatMap(bySuite -> bySuite.keySet().stream())
                .toList()));
    }
}
