package dev.livepatch.testkit.cache;

/** The cache could not give an entry: a lock not released in time, or an entry that cannot be trusted. */
public class CacheException extends RuntimeException {
    public CacheException(String message) {
        super(message);
    }

    public CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
