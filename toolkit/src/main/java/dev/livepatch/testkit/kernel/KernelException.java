package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** A kernel could not be acquired, or is not usable for livepatching. */
@API(status = STABLE, since = "0.1")
public class KernelException extends TestkitException {
    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
