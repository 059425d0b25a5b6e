package dev.livepatch.testkit.junit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The guests of a test run, kept in JUnit's root store so that JUnit closes them when the run ends. A test class
 * leases a guest for its whole run, and no other class uses it meanwhile, so classes running at the same time each
 * have their own; a class that asks for the same kind of guest later takes a leased-out one back instead of starting
 * another. Each test still starts from the boot snapshot. At most {@link #MAX_IDLE} idle guests are kept, or one
 * per kernel when the run's classes each run on more kernels than that (each holds its memory): beyond that the
 * least recently used one is closed.
 */
final class GuestPool implements AutoCloseable {
    static final int MAX_IDLE = 2;

    private final int maxIdle;

    /** Least recently released first. */
    private final List<Entry> entries = new ArrayList<>();

    /** A pool for a run whose classes run on {@code kernels} kernels each. */
    GuestPool(int kernels) {
        this.maxIdle = Math.max(MAX_IDLE, kernels);
    }

    /**
     * An idle guest for {@code key}, else a new one from {@code start}, started outside the pool's lock so that
     * classes starting together boot their guests together.
     */
    PooledGuest acquire(Object key, Supplier<PooledGuest> start) {
        synchronized (this) {
            for (Entry entry : entries) {
                if (entry.idle && entry.key.equals(key)) {
                    entry.idle = false;
                    return entry.guest;
                }
            }
        }
        PooledGuest started = start.get();
        synchronized (this) {
            entries.add(new Entry(key, started));
        }
        return started;
    }

    /** The leased guest is free for later classes; idle guests beyond the limit are closed. */
    synchronized void release(PooledGuest guest) {
        for (Iterator<Entry> it = entries.iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            if (entry.guest == guest) {
                it.remove();
                entry.idle = true;
                entries.add(entry);
                break;
            }
        }
        long idle = entries.stream().filter(entry -> entry.idle).count();
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && idle > maxIdle; ) {
            Entry candidate = it.next();
            if (candidate.idle) {
                it.remove();
                candidate.guest.close();
                idle--;
            }
        }
    }

    @Override
    public synchronized void close() {
        entries.forEach(entry -> entry.guest.close());
        entries.clear();
    }

    private static final class Entry {
        final Object key;
        final PooledGuest guest;
        boolean idle;

        Entry(Object key, PooledGuest guest) {
            this.key = key;
            this.guest = guest;
        }
    }
}
