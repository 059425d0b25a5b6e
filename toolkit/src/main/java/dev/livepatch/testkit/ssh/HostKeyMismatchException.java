package dev.livepatch.testkit.ssh;

/**
 * The guest offered another host key than the one pinned for its image: it is not the guest the image was built
 * for, or something else listens on its port. Retrying does not help.
 */
public class HostKeyMismatchException extends SshException {
    public HostKeyMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
