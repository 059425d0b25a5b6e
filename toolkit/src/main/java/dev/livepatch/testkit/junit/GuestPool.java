package dev.livepatch.testkit.junit;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The guests of a test run, kept in JUnit's root store so that JUnit closes them when the run ends. Test classes
 * that ask for the same guest share it, so it starts once per run instead of once per class; each test still
 * starts from the boot snapshot. A guest that no running class uses stays up for later classes, but at most
 * {@link #MAX_IDLE} of them, or one per kernel when the run's classes each run on more kernels than that (each
 * holds its memory): beyond that the least recently used one is closed.
 */
final class GuestPool implements AutoCloseable {
    static final int MAX_IDLE = 2;

    private final int maxIdle;

    /** In access order: the least recently used guest comes first. */
    private final Map<Object, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

    /** A pool for a run whose classes run on {@code kernels} kernels each. */
    GuestPool(int kernels) {
        this.maxIdle = Math.max(MAX_IDLE, kernels);
    }

    /** The guest for {@code key}, started now if needed, in use by one more class until {@link #release}. */
    synchronized PooledGuest acquire(Object key, Supplier<PooledGuest> start) {
        Entry entry = entry(key, start);
        entry.users++;
        return entry.guest;
    }

    /** The guest for {@code key}, started now if needed. */
    synchronized PooledGuest get(Object key, Supplier<PooledGuest> start) {
        return entry(key, start).guest;
    }

    /** One class less uses the guest for {@code key}; idle guests beyond the limit are closed. */
    synchronized void release(Object key) {
        Entry entry = entries.get(key);
        if (entry != null && entry.users > 0) {
            entry.users--;
        }
        long idle = entries.values().stream().filter(Entry::idle).count();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext() && idle > maxIdle; ) {
            Entry candidate = it.next();
            if (candidate.idle()) {
                it.remove();
                candidate.guest.close();
                idle--;
            }
        }
    }

    @Override
    public synchronized void close() {
        entries.values().forEach(entry -> entry.guest.close());
        entries.clear();
    }

    private Entry entry(Object key, Supplier<PooledGuest> start) {
        return entries.computeIfAbsent(key, absent -> new Entry(start.get()));
    }

    private static final class Entry {
        final PooledGuest guest;
        int users;

        Entry(PooledGuest guest) {
            this.guest = guest;
        }

        boolean idle() {
            return users == 0;
        }
    }
}
