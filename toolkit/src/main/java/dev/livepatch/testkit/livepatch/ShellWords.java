package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apiguardian.api.API;

/** Module parameters as words of an {@code insmod} command line (see {@code ShellQuoting} for quoting a word). */
@API(status = INTERNAL, since = "0.1")
public final class ShellWords {
    private ShellWords() {}

    /** {@code key=value} words sorted by key, so the same parameters always give the same command line. */
    public static List<String> parameters(Map<String, String> parameters) {
        return new TreeMap<>(parameters)
                .entrySet().stream()
                        .map(entry -> entry.getKey() + "=" + entry.getValue())
                        .toList();
    }
}
