package dev.livepatch.testkit.cli;

import java.util.ArrayList;
import java.util.List;

/** A plain-text table: a header row, then rows, each column padded to its widest cell and split by {@code |}. */
final class TextTable {
    private final List<List<String>> rows = new ArrayList<>();

    TextTable(List<String> header) {
        rows.add(List.copyOf(header));
    }

    void add(List<String> row) {
        rows.add(List.copyOf(row));
    }

    String render() {
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] widths = new int[columns];
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
