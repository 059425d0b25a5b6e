package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * The guest offered another host key than the one pinned for its image: it is not the guest the image was built
 * for, or something else listens on its port. Retrying does not help.
 */
@API(status = INTERNAL, since = "0.1")
public class HostKeyMismatchException extends SshException {
    public HostKeyMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
