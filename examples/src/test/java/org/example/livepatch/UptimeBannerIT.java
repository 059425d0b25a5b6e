package org.example.livepatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Operation;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.ssh.GuestShell;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** This project's own livepatch of {@code /proc/uptime}, on a guest running Debian's kernel. */
@LivepatchTest(patches = "src/test/livepatches")
class UptimeBannerIT {
    private static final Duration COMMAND = Duration.ofSeconds(30);

    @Test
    void thePatchChangesWhatProcUptimeShowsUntilItIsDisabled(
            Livepatches livepatches, PatchModules modules, GuestShell shell) {
        assertThat(shell.run("cat /proc/uptime", COMMAND).stdout()).matches("[0-9.]+ [0-9.]+\\s*");

        Patch patch = livepatches.load(modules.build("uptime_banner"));
        Operation enabled = patch.awaitTransition();

        assertThat(enabled.kernelLog().lines()).contains("livepatch: 'uptime_banner': patching complete");
        assertThat(shell.run("cat /proc/uptime", COMMAND).stdout()).isEqualTo("uptime_banner: patched\n");

        patch.disable();
        patch.awaitTransition();
        assertThat(shell.run("cat /proc/uptime", COMMAND).stdout()).matches("[0-9.]+ [0-9.]+\\s*");
        patch.unload();
        assertThat(livepatches.stack().names()).isEmpty();
    }

    @Test
    void eachTestStartsFromAFreshGuest(Livepatches livepatches) {
        assertThat(livepatches.stack().names()).isEmpty();
    }
}
