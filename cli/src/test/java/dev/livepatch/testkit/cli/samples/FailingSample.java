package dev.livepatch.testkit.cli.samples;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A sample suite for the runner's own tests: one failure with a two-line message, one pass. */
@Tag("sample-b")
@TestMethodOrder(MethodOrderer.MethodName.class)
class FailingSample {
    @Test
    void aFails() {
        fail("expected \"a#b\"\nbut was c");
    }

    @Test
    void bPasses() {}
}
