package dev.livepatch.testkit.kernel;

/** A kernel could not be acquired, or is not usable for livepatching. */
public class KernelException extends RuntimeException {
    public KernelException(String message) {
        super(message);
    }

    public KernelException(String message, Throwable cause) {
        super(message, cause);
    }
}
