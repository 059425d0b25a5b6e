package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/** Shell quoting and module parameter formatting. */
@API(status = INTERNAL, since = "0.1")
public final class ShellWords {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./,:=+-]+");

    private ShellWords() {}

    /** The word as the shell must see it: unchanged when safe, single-quoted otherwise. */
    public static String quote(String word) {
        if (PLAIN.matcher(word).matches()) {
            return word;
        }
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** {@code key=value} words sorted by key, so the same parameters always give the same command line. */
    public static List<String> parameters(Map<String, String> parameters) {
        return new TreeMap<>(parameters)
                .entrySet().stream()
                        .map(entry -> entry.getKey() + "=" + entry.getValue())
                        .toList();
    }
}
