package dev.livepatch.testkit.livepatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The output of a guest script: {@code @@key value} result lines, and sections that run to the next {@code @@}. */
final class ScriptOutput {
    static final String PREFIX = "@@";

    private final List<String> lines;

    private ScriptOutput(List<String> lines) {
        this.lines = lines;
    }

    static ScriptOutput parse(String stdout) {
        return new ScriptOutput(stdout.lines().toList());
    }

    List<String> lines() {
        return lines;
    }

    /** The value of the first {@code @@key value} line. */
    Optional<String> value(String key) {
        String start = PREFIX + key + " ";
        return lines.stream()
                .filter(line -> line.startsWith(start))
                .map(line -> line.substring(start.length()))
                .findFirst();
    }

    boolean has(String flag) {
        return lines.contains(PREFIX + flag);
    }

    /** The lines after the {@code @@key} line up to the next {@code @@} line. */
    List<String> section(String key) {
        List<String> section = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith(PREFIX)) {
                if (inside) {
                    break;
                }
                inside = line.equals(PREFIX + key);
            } else if (inside) {
                section.add(line);
            }
        }
        return section;
    }

    KernelLog kernelLog() {
        return KernelLogParser.parse(section("kernel-log"));
    }

    /** The text the action printed (the tool's or the shell's error message). */
    String actionOutput() {
        return String.join("\n", section("output")).strip();
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }
}
