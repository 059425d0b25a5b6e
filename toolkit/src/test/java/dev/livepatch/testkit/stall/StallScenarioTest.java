package dev.livepatch.testkit.stall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StallScenarioTest {
    @TempDir
    Path folder;

    @Test
    void thePatchMustBeALivepatch() throws IOException {
        ModuleLoad plain = new ModuleLoad(StallReports.module(folder, "lpt_busy", false), Map.of());

        assertThatThrownBy(() -> new StallScenario(List.of(), List.of(), plain, Duration.ofSeconds(5), Ending.REVERSE))
                .hasMessage("lpt_busy (" + folder.resolve("lpt_busy.ko")
                        + ") is not a livepatch: its modinfo lacks livepatch=Y. Pass it with --with to load it first.");
    }

    @Test
    void fixturesMustNotBeLivepatches() throws IOException {
        ModuleLoad patch = new ModuleLoad(StallReports.module(folder, "lpt_callbacks", true), Map.of());
        ModuleLoad other = new ModuleLoad(StallReports.module(folder, "lpt_cmdline", true), Map.of());

        assertThatThrownBy(() ->
                        new StallScenario(List.of(other), List.of(), patch, Duration.ofSeconds(5), Ending.REVERSE))
                .hasMessage("lpt_cmdline is a livepatch; a scenario loads one livepatch, after its fixture modules.");
    }

    @Test
    void theLimitMustBePositive() throws IOException {
        ModuleLoad patch = new ModuleLoad(StallReports.module(folder, "lpt_callbacks", true), Map.of());

        assertThatThrownBy(() -> new StallScenario(List.of(), List.of(), patch, Duration.ZERO, Ending.FORCE))
                .hasMessage("The wait for the transition must be positive, not PT0S");
    }

    @Test
    void parametersAreWrittenInNameOrder() throws IOException {
        ModuleLoad load = new ModuleLoad(
                StallReports.module(folder, "lpt_busy", false), Map.of("z", "1", "block_transition", "Y"));

        assertThat(load.parameterText()).isEqualTo("block_transition=Y,z=1");
        assertThat(load.describe()).isEqualTo("lpt_busy (block_transition=Y z=1)");
    }

    @Test
    void aWorkloadRunsDetachedWithItsQuotesIntact() {
        assertThat(StallReproduction.background("echo 'a b' > /tmp/x"))
                .isEqualTo("setsid sh -c 'echo '\\''a b'\\'' > /tmp/x' < /dev/null > /dev/null 2>&1 &");
    }
}
