package dev.livepatch.testkit.livepatch;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The output of a guest script: {@link GuestTag} result lines, and sections that run to the next tag line. */
final class ScriptOutput {
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

    /** The value of the first {@code @@tag value} line. */
    Optional<String> value(GuestTag tag) {
        return lines.stream().flatMap(line -> tag.value(line).stream()).findFirst();
    }

    /** The values of every {@code @@tag value} line, in order. */
    List<String> values(GuestTag tag) {
        return lines.stream().flatMap(line -> tag.value(line).stream()).toList();
    }

    /** Whether a line is the tag alone. */
    boolean has(GuestTag tag) {
        return lines.contains(tag.line());
    }

    /** Every line with a known tag, in order, with its value (empty for the tag alone). */
    List<Tagged> tagged() {
        List<Tagged> tagged = new ArrayList<>();
        for (String line : lines) {
            GuestTag.of(line)
                    .ifPresent(tag -> tagged.add(new Tagged(tag, tag.value(line).orElse(""))));
        }
        return tagged;
    }

    /** The lines after the {@code @@tag} line up to the next {@code @@} line. */
    List<String> section(GuestTag tag) {
        List<String> section = new ArrayList<>();
        boolean inside = false;
        for (String line : lines) {
            if (line.startsWith(GuestTag.PREFIX)) {
                if (inside) {
                    break;
                }
                inside = line.equals(tag.line());
            } else if (inside) {
                section.add(line);
            }
        }
        return section;
    }

    KernelLog kernelLog() {
        return KernelLogParser.parse(section(GuestTag.KERNEL_LOG));
    }

    /** The text the action printed (the tool's or the shell's error message). */
    String actionOutput() {
        return String.join("\n", section(GuestTag.OUTPUT)).strip();
    }

    @Override
    public String toString() {
        return String.join("\n", lines);
    }

    /** A line of a known tag and its value. */
    record Tagged(GuestTag tag, String value) {}
}
