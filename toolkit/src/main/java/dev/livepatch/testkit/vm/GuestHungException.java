package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A guest did not answer after a reset to its boot snapshot. The snapshot answers when a new QEMU starts from it, so
 * what holds the guest lives in its QEMU process, outside the state {@code loadvm} restores: the guest must be closed
 * and a new one started.
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class GuestHungException extends GuestException {
    public GuestHungException(String message, Throwable cause) {
        super(message, cause);
    }
}
