package dev.livepatch.testkit.lifecycle;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/** A point in time by which something must have happened, with a polling helper. */
@API(status = INTERNAL, since = "0.1")
public final class Deadline {
    private final Duration limit;
    private final long startNanos;

    private Deadline(Duration limit) {
        this.limit = limit;
        this.startNanos = System.nanoTime();
    }

    public static Deadline after(Duration limit) {
        return new Deadline(limit);
    }

    public Duration limit() {
        return limit;
    }

    public Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    public Duration remaining() {
        Duration remaining = limit.minus(elapsed());
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    public boolean expired() {
        return remaining().isZero();
    }

    /**
     * Polls {@code probe} every {@code interval} until it yields a value or the deadline passes.
     *
     * @param what what is awaited, for the timeout message
     * @param lastSeen describes the last observed state, for the timeout message
     */
    public <T> T poll(String what, Duration interval, Supplier<Optional<T>> probe, Supplier<String> lastSeen) {
        while (true) {
            Optional<T> value = probe.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (expired()) {
                throw new WaitTimeoutException(what, limit, lastSeen.get());
            }
            pause(min(interval, remaining()));
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(Math.max(1, duration.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
