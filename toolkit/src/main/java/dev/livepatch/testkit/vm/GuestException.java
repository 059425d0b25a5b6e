package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** A guest could not be started, controlled or stopped. */
@API(status = STABLE, since = "0.1")
public class GuestException extends TestkitException {
    public GuestException(String message) {
        super(message);
    }

    public GuestException(String message, Throwable cause) {
        super(message, cause);
    }
}
