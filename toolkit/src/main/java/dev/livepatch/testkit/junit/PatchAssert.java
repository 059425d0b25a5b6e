package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.PatchState;
import java.util.Optional;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/** Assertions on a patch handle, reading its current state from the guest. */
@API(status = STABLE, since = "0.1")
public class PatchAssert extends AbstractAssert<PatchAssert, Patch> {

    PatchAssert(Patch actual) {
        super(actual, PatchAssert.class);
    }

    /** Gone from {@code /sys/kernel/livepatch}: disabled and freed, or replaced. */
    public PatchAssert isGone() {
        isNotNull();
        Optional<PatchState> state = actual.state();
        if (state.isPresent()) {
            failWithMessage(
                    "Expected patch '%s' to be gone from /sys/kernel/livepatch but it is there: %s",
                    actual.name(), state.get().summary());
        }
        return this;
    }

    /** Present in {@code /sys/kernel/livepatch}; continues with assertions on its current state. */
    public PatchStateAssert isPresent() {
        isNotNull();
        Optional<PatchState> state = actual.state();
        if (state.isEmpty()) {
            failWithMessage(
                    "Expected patch '%s' in /sys/kernel/livepatch but it is gone (disabled, replaced or never loaded)",
                    actual.name());
        }
        return new PatchStateAssert(state.get());
    }
}
