package dev.livepatch.testkit.cli.templatesamples;

import dev.livepatch.testkit.junit.FakeGuestProvider;
import dev.livepatch.testkit.junit.LivepatchTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A suite of class template runs (one per kernel), as every {@link LivepatchTest} class is. */
@Tag("sample-kernels")
@LivepatchTest(provider = FakeGuestProvider.class)
class TwoKernelsSample {
    @Test
    void passes() {}
}
