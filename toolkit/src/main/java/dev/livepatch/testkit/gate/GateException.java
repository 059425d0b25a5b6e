package dev.livepatch.testkit.gate;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** A gate that cannot run as asked (a patch of no known kind, a check that cannot start), said with what to do. */
@API(status = STABLE, since = "0.2")
public class GateException extends TestkitException {
    public GateException(String message) {
        super(message);
    }

    public GateException(String message, Throwable cause) {
        super(message, cause);
    }
}
