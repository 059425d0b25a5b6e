package dev.livepatch.testkit.cli.check;

import dev.livepatch.testkit.gate.GateOptions;
import dev.livepatch.testkit.gate.LivepatchGate;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.vm.Guest;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

/**
 * The suite {@code ./testkit check} runs: the {@link LivepatchGate} of the settings' patch, on each kernel, as a
 * Maven project would run it from its own {@code @TestFactory}.
 */
@LivepatchTest
@Tag(CheckSuite.TAG)
public class CheckSuite {
    public static final String TAG = "check";

    @TestFactory
    @DisplayName("gate")
    Stream<DynamicTest> gate(Guest guest, Kernel kernel, GuestImage image) {
        return LivepatchGate.of(GateOptions.fromSettings(), guest, kernel, image)
                .tests();
    }
}
