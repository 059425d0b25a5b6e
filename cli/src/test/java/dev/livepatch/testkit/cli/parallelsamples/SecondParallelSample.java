package dev.livepatch.testkit.cli.parallelsamples;

import dev.livepatch.testkit.junit.FakeGuestProvider;
import dev.livepatch.testkit.junit.LivepatchTest;
import org.junit.jupiter.api.Test;

/** A sample suite for the runner's own tests: a class template as every {@link LivepatchTest} class is, which
 * passes only when run beside the other parallel sample. */
@LivepatchTest(provider = FakeGuestProvider.class)
class SecondParallelSample {
    @Test
    void meetsTheOtherClass() throws InterruptedException {
        Rendezvous.meet();
    }
}
