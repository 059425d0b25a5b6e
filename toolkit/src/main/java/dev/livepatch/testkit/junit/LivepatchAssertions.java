package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.PatchStack;
import dev.livepatch.testkit.livepatch.PatchState;
import dev.livepatch.testkit.livepatch.Taint;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/** AssertJ entry points for livepatch state: {@code assertThat(livepatches.stack()).hasOnTop("lpt_b")}. */
@API(status = STABLE, since = "0.1")
public final class LivepatchAssertions {
    private LivepatchAssertions() {}

    public static PatchStateAssert assertThat(PatchState state) {
        return new PatchStateAssert(state);
    }

    public static PatchStackAssert assertThat(PatchStack stack) {
        return new PatchStackAssert(stack);
    }

    public static PatchAssert assertThat(Patch patch) {
        return new PatchAssert(patch);
    }

    public static TaintAssert assertThat(Taint taint) {
        return new TaintAssert(taint);
    }

    /** String assertions on a guest file read now, e.g. {@code /proc/cmdline} showing a patched function's output. */
    public static AbstractStringAssert<?> assertThatGuestFile(Livepatches livepatches, String path) {
        return Assertions.assertThat(livepatches.read(path)).as("guest file %s", path);
    }
}
