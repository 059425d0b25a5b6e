package dev.livepatch.testkit.cli.samples;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** A sample suite for the runner's own tests: its class setup fails, so none of its tests runs. */
@Tag("sample-b")
@TestMethodOrder(MethodOrderer.MethodName.class)
class BrokenSetupSample {
    @BeforeAll
    static void boot() {
        throw new IllegalStateException("guest did not boot");
    }

    @Test
    void one() {}

    @Test
    void two() {}
}
