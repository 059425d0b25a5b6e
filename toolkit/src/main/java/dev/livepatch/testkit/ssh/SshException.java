package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** SSH to a guest failed: connecting, a dropped connection, a timed-out command or an unusable key. */
@API(status = STABLE, since = "0.1")
public class SshException extends TestkitException {
    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
