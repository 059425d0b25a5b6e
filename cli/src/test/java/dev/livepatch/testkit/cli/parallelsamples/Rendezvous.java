package dev.livepatch.testkit.cli.parallelsamples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Both sample classes meet here: each test passes only while the other class runs at the same time. */
final class Rendezvous {
    private static final CountDownLatch BOTH = new CountDownLatch(2);

    private Rendezvous() {}

    static void meet() throws InterruptedException {
        BOTH.countDown();
        assertTrue(BOTH.await(20, TimeUnit.SECONDS), "the other class did not run at the same time");
    }
}
