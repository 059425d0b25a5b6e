package dev.livepatch.testkit.gate;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import org.apiguardian.api.API;

/** The patch's transition did not finish in time: the message explains who blocks it, the bundle reproduces it. */
@API(status = STABLE, since = "0.2")
public class TransitionStalledException extends GateException {
    private final transient Path bundle;

    public TransitionStalledException(String explanation, Path bundle) {
        super(explanation);
        this.bundle = bundle;
    }

    /** The reproducer bundle's folder. */
    public Path bundle() {
        return bundle;
    }
}
