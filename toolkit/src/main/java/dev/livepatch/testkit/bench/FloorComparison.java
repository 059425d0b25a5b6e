package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Durations;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The toolkit's median of one job against the same job done by hand, measured in the same minutes (see
 * {@link SnapshotFloor}).
 *
 * @param what the job, e.g. {@code reset}
 * @param toolkit the toolkit's median
 * @param floor the samples by hand
 */
@API(status = INTERNAL, since = "0.2")
public record FloorComparison(String what, Duration toolkit, List<Duration> floor) {
    public FloorComparison {
        floor = List.copyOf(floor);
    }

    public Duration floorMedian() {
        return Durations.median(floor);
    }

    /** The toolkit's median over the floor's: how many times the floor the toolkit takes. */
    public double ratio() {
        return toolkit.toNanos() / (double) floorMedian().toNanos();
    }
}
