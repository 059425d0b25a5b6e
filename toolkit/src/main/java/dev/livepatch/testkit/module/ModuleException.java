package dev.livepatch.testkit.module;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** A kernel module file cannot be read, or is not fit for the kernel or the use it is meant for. */
@API(status = STABLE, since = "0.1")
public class ModuleException extends TestkitException {
    public ModuleException(String message) {
        super(message);
    }

    public ModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
