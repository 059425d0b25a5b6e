package dev.livepatch.testkit.module;

/** A kernel module file cannot be read, or is not fit for the kernel or the use it is meant for. */
public class ModuleException extends RuntimeException {
    public ModuleException(String message) {
        super(message);
    }

    public ModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
