package dev.livepatch.testkit.process;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** A host command failed to start, timed out, or exited non-zero when success was required. */
@API(status = STABLE, since = "0.1")
public class ProcessFailedException extends TestkitException {
    private final transient ExecResult result;

    public ProcessFailedException(String message, ExecResult result) {
        super(message);
        this.result = result;
    }

    public ProcessFailedException(String message, Throwable cause) {
        super(message, cause);
        this.result = null;
    }

    /** The finished command, or null when it never ran to completion. */
    public ExecResult result() {
        return result;
    }
}
