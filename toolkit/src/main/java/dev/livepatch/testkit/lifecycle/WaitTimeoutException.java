package dev.livepatch.testkit.lifecycle;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import java.time.Duration;
import org.apiguardian.api.API;

/** A wait ran out of time; the message says what was awaited, for how long, and what was last seen. */
@API(status = STABLE, since = "0.1")
public class WaitTimeoutException extends TestkitException {
    private final String awaited;
    private final Duration limit;
    private final String lastSeen;

    public WaitTimeoutException(String awaited, Duration limit, String lastSeen) {
        super("Timed out waiting for " + awaited + " after " + Durations.format(limit) + "; last seen: " + lastSeen);
        this.awaited = awaited;
        this.limit = limit;
        this.lastSeen = lastSeen;
    }

    public String awaited() {
        return awaited;
    }

    public Duration limit() {
        return limit;
    }

    public String lastSeen() {
        return lastSeen;
    }
}
