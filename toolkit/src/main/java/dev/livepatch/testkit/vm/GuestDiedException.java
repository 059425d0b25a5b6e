package dev.livepatch.testkit.vm;

/**
 * A guest's QEMU ended without being asked to: it exited with an error or a signal killed it. The message says
 * how, and carries the serial console's tail.
 */
public class GuestDiedException extends GuestException {
    public GuestDiedException(String message) {
        super(message);
    }
}
