package dev.livepatch.testkit.deb;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** A Debian package could not be resolved, downloaded or unpacked. */
@API(status = INTERNAL, since = "0.1")
public class DebException extends TestkitException {
    public DebException(String message) {
        super(message);
    }

    public DebException(String message, Throwable cause) {
        super(message, cause);
    }
}
