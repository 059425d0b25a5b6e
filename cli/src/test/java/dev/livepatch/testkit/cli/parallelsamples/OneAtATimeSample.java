package dev.livepatch.testkit.cli.parallelsamples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.livepatch.testkit.junit.FakeGuestProvider;
import dev.livepatch.testkit.junit.LivepatchTest;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A sample suite for the runner's own tests: its tests share a guest, so they fail if they run at the same time. */
@LivepatchTest(provider = FakeGuestProvider.class)
class OneAtATimeSample {
    private static final AtomicInteger RUNNING = new AtomicInteger();

    @Test
    void first() throws InterruptedException {
        alone();
    }

    @Test
    void second() throws InterruptedException {
        alone();
    }

    @Test
    void third() throws InterruptedException {
        alone();
    }

    private static void alone() throws InterruptedException {
        try {
            assertEquals(1, RUNNING.incrementAndGet(), "another test of this class is running");
            Thread.sleep(300);
        } finally {
            RUNNING.decrementAndGet();
        }
    }
}
