package dev.livepatch.testkit.vm;

/** A guest could not be started, controlled or stopped. */
public class GuestException extends RuntimeException {
    public GuestException(String message) {
        super(message);
    }

    public GuestException(String message, Throwable cause) {
        super(message, cause);
    }
}
