package dev.livepatch.testkit.cli.samples;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A sample suite for the runner's own tests: a pass, a disabled test and an aborted one. */
@Tag("sample-a")
@TestMethodOrder(MethodOrderer.MethodName.class)
class PassingSample {
    @Test
    void aPasses() {}

    @Test
    @Disabled("not today")
    void bIsDisabled() {}

    @Test
    void cIsAborted() {
        assumeTrue(false, "no guest here");
    }
}
