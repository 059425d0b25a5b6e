package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Durations;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The samples of one measurement and the target its median is held to.
 *
 * @param label what was timed, e.g. {@code cold boot to a working SSH command}
 */
@API(status = INTERNAL, since = "0.2")
public record Measurement(String label, List<Duration> samples, Duration target) {
    public Measurement {
        samples = List.copyOf(samples);
    }

    public Duration median() {
        return Durations.median(samples);
    }

    /** The median over the target: 1 or less meets it. */
    public double ofTarget() {
        return median().toNanos() / (double) target.toNanos();
    }
}
