package dev.livepatch.testkit.lifecycle;

import java.time.Duration;
import java.util.Locale;

/** Human-readable durations for messages: {@code 850 ms}, {@code 2.3 s}, {@code 3 min 5 s}. */
public final class Durations {
    private Durations() {}

    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", millis / 1000.0).replace(".0 s", " s");
        }
        long seconds = duration.toSeconds();
        return (seconds / 60) + " min" + (seconds % 60 == 0 ? "" : " " + (seconds % 60) + " s");
    }
}
