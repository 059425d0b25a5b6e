package dev.livepatch.testkit.ssh;

/** SSH to a guest failed: connecting, a dropped connection, a timed-out command or an unusable key. */
public class SshException extends RuntimeException {
    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
