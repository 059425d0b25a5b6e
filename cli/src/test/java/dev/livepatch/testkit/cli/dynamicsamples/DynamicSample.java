package dev.livepatch.testkit.cli.dynamicsamples;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** A sample suite for the runner's own tests: two containers of dynamic tests with one case name in both. */
class DynamicSample {
    @TestFactory
    @DisplayName("scripts")
    Stream<DynamicNode> scripts() {
        return Stream.of(
                DynamicContainer.dynamicContainer("a.sh", Stream.of(DynamicTest.dynamicTest("same case", () -> {}))),
                DynamicContainer.dynamicContainer(
                        "b.sh", Stream.of(DynamicTest.dynamicTest("same case", () -> fail("b.sh failed")))));
    }
}
