package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.lifecycle.Deadline;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The guests this JVM has not closed yet, and the starts under way; a shutdown hook closes the guests (QEMU
 * stopped, run folder deleted) and lets each interrupted start report how it ended.
 */
final class OpenGuests {
    /** How long the shutdown hook waits for interrupted starts to report; the JVM halts once its hooks return. */
    private static final Duration REPORT_GRACE = Duration.ofSeconds(5);

    private static final Set<Guest> OPEN = ConcurrentHashMap.newKeySet();
    private static final Set<Starting> STARTING = ConcurrentHashMap.newKeySet();

    static {
        Thread hook = new Thread(OpenGuests::closeAll, "lpt-guests-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private OpenGuests() {}

    static void add(Guest guest) {
        OPEN.add(guest);
    }

    static void remove(Guest guest) {
        OPEN.remove(guest);
    }

    /** Marks a start under way until the returned token is closed, after the start has reported its outcome. */
    static Starting starting() {
        Starting start = new Starting();
        STARTING.add(start);
        return start;
    }

    private static void closeAll() {
        for (Guest guest : List.copyOf(OPEN)) {
            try {
                guest.close();
            } catch (RuntimeException ignored) {
                // The JVM is exiting: close the others regardless.
            }
        }
        // Without this wait the JVM would halt while a boot is noticing that its QEMU is gone, and the program
        // would end on Ctrl-C or SIGTERM without a word about what it was doing.
        Deadline deadline = Deadline.after(REPORT_GRACE);
        for (Starting start : List.copyOf(STARTING)) {
            try {
                start.ended.await(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A start under way; closing it says the start has ended and reported its outcome. */
    static final class Starting implements AutoCloseable {
        private final CountDownLatch ended = new CountDownLatch(1);

        @Override
        public void close() {
            STARTING.remove(this);
            ended.countDown();
        }
    }
}
