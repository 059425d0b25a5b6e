package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThatGuestFile;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.TransitionTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each livepatch in {@code patches/} that changes a {@code /proc} file does so once loaded, and stops once disabled. */
@Tag("patches")
@LivepatchTest
class PatchesIT {
    @ParameterizedTest(name = "{0} changes {2}", quoteTextArguments = false)
    @CsvSource({
        "lpt_cmdline,,/proc/cmdline,lpt_cmdline: this has been live patched",
        "lpt_cmdline2,,/proc/cmdline,lpt_cmdline2: this has been live patched",
        "lpt_meminfo,,/proc/meminfo,lpt_meminfo: this has been live patched",
        "lpt_uptime,,/proc/uptime,lpt_uptime: this has been live patched",
        "lpt_version,,/proc/version,lpt_version: this has been live patched",
        "lpt_target_patch,lpt_target,/proc/lpt_target,lpt_target_patch: this has been live patched",
        "lpt_shadow_patch,lpt_target,/proc/lpt_target,'lpt_shadow_patch: this has been live patched, read 1 times'"
    })
    void aLivepatchChangesWhatItsProcFileShows(
            String patch,
            String fixture,
            String file,
            String patchedText,
            Livepatches livepatches,
            PatchModules modules) {
        if (fixture != null) {
            livepatches.loadModule(modules.build(fixture).ko(), Map.of());
        }
        assertThatGuestFile(livepatches, file).doesNotContain("live patched");

        Patch loaded = livepatches.load(modules.build(patch).ko());
        loaded.awaitTransition();
        assertThatGuestFile(livepatches, file).startsWith(patchedText);

        loaded.disable();
        loaded.awaitTransition();
        assertThatGuestFile(livepatches, file).doesNotContain("live patched");
        loaded.unload();
    }

    /** The toolkit's guest-side waits keep their own clock, whatever a patch makes /proc print. */
    @Test
    void aStalledTransitionTimesOutAndIsExplainedWhilePatchesChangeProcFiles(
            Livepatches livepatches, PatchModules modules) {
        for (String patch : List.of("lpt_uptime", "lpt_version", "lpt_cmdline", "lpt_meminfo")) {
            livepatches.load(modules.build(patch).ko()).awaitTransition();
        }
        assertThatGuestFile(livepatches, "/proc/uptime").startsWith("lpt_uptime: this has been live patched");
        livepatches.loadModule(modules.build("lpt_busy").ko(), Map.of("block_transition", "1"));
        Patch stalled = livepatches.load(modules.build("lpt_callbacks").ko());

        assertThatThrownBy(() -> stalled.awaitTransition(Duration.ofSeconds(2)))
                .isInstanceOf(TransitionTimeoutException.class)
                .hasMessageContaining("is sleeping on function lpt_busy_work_func");

        stalled.reverse();
        stalled.awaitTransition();
        stalled.unload();
        assertThat(livepatches.stack()).hasOrder("lpt_uptime", "lpt_version", "lpt_cmdline", "lpt_meminfo");
    }
}
