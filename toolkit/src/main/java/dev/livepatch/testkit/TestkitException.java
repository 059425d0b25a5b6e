package dev.livepatch.testkit;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * Every failure the toolkit reports: what happened and what to do, in the message. The subclasses say which layer
 * failed (a guest, a module build, a livepatch operation, ...), so a caller can catch one family or all.
 */
@API(status = STABLE, since = "0.1")
public class TestkitException extends RuntimeException {
    public TestkitException(String message) {
        super(message);
    }

    public TestkitException(String message, Throwable cause) {
        super(message, cause);
    }
}
