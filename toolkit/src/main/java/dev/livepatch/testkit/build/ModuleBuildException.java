package dev.livepatch.testkit.build;

/** A module could not be built, or the built module is not what the kernel expects. */
public class ModuleBuildException extends RuntimeException {
    public ModuleBuildException(String message) {
        super(message);
    }

    public ModuleBuildException(String message, Throwable cause) {
        super(message, cause);
    }
}
