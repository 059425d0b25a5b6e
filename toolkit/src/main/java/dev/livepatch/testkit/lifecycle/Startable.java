package dev.livepatch.testkit.lifecycle;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** An external resource with an idempotent start and stop; {@link #close()} stops it. */
@API(status = INTERNAL, since = "0.1")
public interface Startable extends AutoCloseable {
    void start();

    void stop();

    @Override
    default void close() {
        stop();
    }
}
