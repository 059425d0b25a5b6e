package dev.livepatch.testkit.cache;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * Exclusive use of one lock file, between processes and between the threads of this one. A {@link FileLock} is held
 * by the whole JVM, so threads first take an in-JVM lock for the same file; the operating system releases the file
 * lock when its process dies, even by {@code kill -9}, so a crashed holder never blocks anyone. The holder writes its
 * pid into the file, which a waiter names when it gives up.
 */
@API(status = INTERNAL, since = "0.1")
public final class CacheLock implements AutoCloseable {
    private static final Map<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    private static final Duration POLL = Duration.ofMillis(200);

    private final Semaphore threads;
    private final FileChannel channel;
    private FileLock lock;

    private CacheLock(Semaphore threads, FileChannel channel, FileLock lock) {
        this.threads = threads;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Waits up to {@code timeout} for the lock. The first time it has to wait it tells {@code progress} for what, so
     * a user sees why nothing moves.
     *
     * @param what what the holder is doing, e.g. "kernel 6.1.0-56-amd64"
     */
    public static CacheLock acquire(Path file, String what, Progress progress, Duration timeout) {
        Deadline deadline = Deadline.after(timeout);
        Semaphore threads = threadsOf(file);
        try {
            if (!threads.tryAcquire()) {
                progress.note("Waiting for another thread to finish " + what + " (lock: " + file + ")");
                if (!threads.tryAcquire(deadline.remaining().toNanos(), TimeUnit.NANOSECONDS)) {
                    throw timedOut(what, file, timeout, "another thread of this process still holds it");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("Interrupted while waiting for " + what + " (lock: " + file + ")", e);
        }
        FileChannel channel = null;
        try {
            channel = open(file);
            FileLock held = channel.tryLock();
            if (held == null) {
                progress.note("Waiting for another livepatch-testkit process to finish " + what + " (lock: " + file
                        + ", " + holder(file) + ")");
                FileChannel waiting = channel;
                held = deadline.poll("the lock " + file, POLL, () -> tryLock(waiting), () -> holder(file));
            }
            CacheLock acquired = new CacheLock(threads, channel, held);
            acquired.recordHolder();
            return acquired;
        } catch (WaitTimeoutException e) {
            closeQuietly(channel);
            threads.release();
            throw timedOut(what, file, timeout, e.lastSeen());
        } catch (IOException e) {
            closeQuietly(channel);
            threads.release();
            throw new CacheException("Could not lock " + file, e);
        } catch (RuntimeException | Error e) {
            closeQuietly(channel);
            threads.release();
            throw e;
        }
    }

    /** The lock if nobody holds it now, without waiting. */
    public static Optional<CacheLock> tryAcquire(Path file) {
        Semaphore threads = threadsOf(file);
        if (!threads.tryAcquire()) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = open(file);
            FileLock held = channel.tryLock();
            if (held == null) {
                closeQuietly(channel);
                threads.release();
                return Optional.empty();
            }
            return Optional.of(new CacheLock(threads, channel, held));
        } catch (IOException | RuntimeException e) {
            closeQuietly(channel);
            threads.release();
            return Optional.empty();
        }
    }

    @Override
    public synchronized void close() {
        if (lock == null) {
            return;
        }
        try {
            lock.release();
        } catch (IOException ignored) {
            // Closing the channel below releases it too.
        } finally {
            lock = null;
            closeQuietly(channel);
            threads.release();
        }
    }

    private void recordHolder() throws IOException {
        channel.truncate(0);
        String holder = "pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n";
        channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
    }

    /** A semaphore rather than a lock: the thread that releases may not be the one that acquired. */
    private static Semaphore threadsOf(Path file) {
        return IN_JVM.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new Semaphore(1));
    }

    private static FileChannel open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private static Optional<FileLock> tryLock(FileChannel channel) {
        try {
            return Optional.ofNullable(channel.tryLock());
        } catch (IOException e) {
            throw new CacheException("Could not lock a cache entry (" + e.getMessage() + ")", e);
        }
    }

    /** Who holds the lock, as the holder wrote it. */
    private static String holder(Path file) {
        try {
            String content = Files.readString(file, StandardCharsets.UTF_8).strip();
            return content.isEmpty() ? "holder unknown" : "held by " + content;
        } catch (IOException e) {
            return "holder unknown (" + e.getMessage() + ")";
        }
    }

    private static CacheException timedOut(String what, Path file, Duration timeout, String lastSeen) {
        return new CacheException("Timed out after " + Durations.format(timeout) + " waiting for another run to finish "
                + what + " (lock: " + file + "; " + lastSeen + "). If that run is stuck, stop it; a longer wait is -D"
                + Settings.CACHE_LOCK_TIMEOUT.name() + "=60m.");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing was written that matters; the lock goes with the channel.
        }
    }
}
