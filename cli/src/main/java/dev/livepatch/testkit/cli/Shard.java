package dev.livepatch.testkit.cli;

import java.util.List;
import java.util.stream.IntStream;

/**
 * One of {@code count} deterministic slices of the test classes ({@code --shard index/count}, 1-based): classes
 * sorted by name, dealt out in turn. Every machine that sees the same classes computes the same slices, so a CI
 * matrix can run one shard per job and merge the JUnit XML.
 */
record Shard(int index, int count) {
    static final Shard ALL = new Shard(1, 1);

    Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException(
                    "A shard is INDEX/COUNT with 1 <= INDEX <= COUNT, not " + index + "/" + count);
        }
    }

    static Shard parse(String text) {
        String[] parts = text.strip().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // Reported below with the expected form.
        }
        throw new IllegalArgumentException("--shard takes INDEX/COUNT, e.g. 2/4, not '" + text + "'");
    }

    List<String> select(List<String> classNames) {
        List<String> sorted = classNames.stream().distinct().sorted().toList();
        return IntStream.range(0, sorted.size())
                .filter(i -> i % count == index - 1)
                .mapToObj(sorted::get)
                .toList();
    }

    boolean isWhole() {
        return count == 1;
    }

    /** The suffix of this shard's report files: empty for the whole run, else e.g. {@code -2of4}. */
    String fileSuffix() {
        return isWhole() ? "" : "-" + index + "of" + count;
    }
}
