package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A guest was stopped on purpose while in use: this JVM is shutting down (SIGTERM, Ctrl-C), or a signal asked its
 * QEMU to stop. Nothing is wrong with the guest itself.
 */
@API(status = INTERNAL, since = "0.1")
public class GuestStoppedException extends GuestException {
    private final String reason;

    /**
     * @param reason what stopped it, e.g. "SIGTERM from pid 4242 (kill)"
     */
    public GuestStoppedException(String message, String reason, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
