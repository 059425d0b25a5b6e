package dev.livepatch.testkit.ssh;

/** The SSH connection to a guest failed or dropped. */
public class SshException extends RuntimeException {
    public SshException(String message) {
        super(message);
    }

    public SshException(String message, Throwable cause) {
        super(message, cause);
    }
}
