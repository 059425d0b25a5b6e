package dev.livepatch.testkit.suites;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each livepatch in {@code patches/} that changes a {@code /proc} file does so once loaded, and stops once disabled. */
@Tag("patches")
@LivepatchTest
class PatchesIT {
    @ParameterizedTest(name = "{0} changes {2}")
    @CsvSource({
        "lpt_cmdline,,/proc/cmdline,lpt_cmdline: this has been live patched",
        "lpt_cmdline2,,/proc/cmdline,lpt_cmdline2: this has been live patched",
        "lpt_meminfo,,/proc/meminfo,lpt_meminfo: this has been live patched",
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
        assertThat(livepatches.read(file)).doesNotContain("live patched");

        Patch loaded = livepatches.load(modules.build(patch).ko());
        loaded.awaitTransition();
        assertThat(livepatches.read(file)).startsWith(patchedText);

        loaded.disable();
        loaded.awaitTransition();
        assertThat(livepatches.read(file)).doesNotContain("live patched");
        loaded.unload();
    }
}
