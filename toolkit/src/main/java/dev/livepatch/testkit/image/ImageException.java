package dev.livepatch.testkit.image;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import org.apiguardian.api.API;

/** A guest image could not be assembled. */
@API(status = STABLE, since = "0.1")
public class ImageException extends TestkitException {
    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
