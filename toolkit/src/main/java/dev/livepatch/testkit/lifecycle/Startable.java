package dev.livepatch.testkit.lifecycle;

/** An external resource with an idempotent start and stop; {@link #close()} stops it. */
public interface Startable extends AutoCloseable {
    void start();

    void stop();

    @Override
    default void close() {
        stop();
    }
}
