package dev.livepatch.testkit.process;

/** A host command failed to start, timed out, or exited non-zero when success was required. */
public class ProcessFailedException extends RuntimeException {
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
