package dev.livepatch.testkit.deb;

/** A Debian package could not be resolved, downloaded or unpacked. */
public class DebException extends RuntimeException {
    public DebException(String message) {
        super(message);
    }

    public DebException(String message, Throwable cause) {
        super(message, cause);
    }
}
