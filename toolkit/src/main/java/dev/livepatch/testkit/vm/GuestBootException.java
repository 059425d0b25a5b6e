package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** A guest did not come up: QEMU failed, or SSH never answered in time. */
@API(status = INTERNAL, since = "0.1")
public class GuestBootException extends GuestException {
    public GuestBootException(String message) {
        super(message);
    }

    public GuestBootException(String message, Throwable cause) {
        super(message, cause);
    }
}
