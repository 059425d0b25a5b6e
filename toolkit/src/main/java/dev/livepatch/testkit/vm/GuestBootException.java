package dev.livepatch.testkit.vm;

/** A guest did not come up: QEMU failed, or SSH never answered in time. */
public class GuestBootException extends GuestException {
    public GuestBootException(String message) {
        super(message);
    }

    public GuestBootException(String message, Throwable cause) {
        super(message, cause);
    }
}
