package dev.livepatch.testkit.cache;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** The cache could not give an entry: a lock not released in time, or an entry that cannot be trusted. */
@API(status = INTERNAL, since = "0.1")
public class CacheException extends TestkitException {
    public CacheException(String message) {
        super(message);
    }

    public CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
