package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * KVM stopped a guest it could not run (QEMU's "KVM internal error", e.g. an instruction nested KVM cannot
 * emulate): the guest is paused for good, though QEMU lives on.
 */
@API(status = INTERNAL, since = "0.1")
public class KvmFailedException extends GuestBootException {
    public KvmFailedException(String message) {
        super(message);
    }
}
