package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * A guest's QEMU ended without being asked to: it exited with an error or a signal killed it. The message says
 * how, and carries the serial console's tail.
 */
@API(status = STABLE, since = "0.1")
public class GuestDiedException extends GuestException {
    public GuestDiedException(String message) {
        super(message);
    }
}
