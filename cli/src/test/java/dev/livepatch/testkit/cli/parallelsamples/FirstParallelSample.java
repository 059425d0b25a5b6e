package dev.livepatch.testkit.cli.parallelsamples;

import org.junit.jupiter.api.Test;

/** A sample suite for the runner's own tests: passes only when run beside the other parallel sample. */
class FirstParallelSample {
    @Test
    void meetsTheOtherClass() throws InterruptedException {
        Rendezvous.meet();
    }
}
