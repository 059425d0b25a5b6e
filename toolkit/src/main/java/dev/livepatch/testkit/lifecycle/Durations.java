package dev.livepatch.testkit.lifecycle;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/** Human-readable durations for messages: {@code 850 ms}, {@code 2.3 s}, {@code 3 min 5 s}. */
@API(status = INTERNAL, since = "0.1")
public final class Durations {
    private Durations() {}

    /** The middle sample (the mean of the two middle ones for an even count); zero without samples. */
    public static Duration median(List<Duration> samples) {
        List<Duration> sorted = samples.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Duration.ZERO;
        }
        return n % 2 == 1
                ? sorted.get(n / 2)
                : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

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
