package dev.livepatch.testkit.cli.guestsamples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A sample suite for the runner's own tests: its first test kills its guest's QEMU with SIGKILL, as {@code pkill -9
 * qemu-system} would, and then uses the guest, which fails it; the later tests run on a new guest.
 */
@LivepatchTest
@TestMethodOrder(MethodOrderer.MethodName.class)
class KilledGuestSample {
    static final String CONSOLE_MARKER = "KilledGuestSample wrote this to the console";
    private static final Duration GONE = Duration.ofSeconds(30);
    private static volatile String killed;

    @Test
    void a_killsItsGuest(Guest guest) {
        guest.shell().run("echo '" + CONSOLE_MARKER + "' > /dev/console", GONE);
        Deadline.after(GONE)
                .poll(
                        "the serial console to show the marker",
                        Duration.ofMillis(20),
                        () -> guest.serialTail(5).contains(CONSOLE_MARKER) ? Optional.of(true) : Optional.empty(),
                        () -> guest.serialTail(5));
        String runFolder = guest.serialLog().getParent().toString();
        ProcessHandle qemu = ProcessHandle.current()
                .descendants()
                .filter(process -> process.info().commandLine().orElse("").contains(runFolder))
                .findFirst()
                .orElseThrow();
        qemu.destroyForcibly();
        Deadline.after(GONE)
                .poll(
                        "guest " + guest.id() + " to notice its QEMU is gone",
                        Duration.ofMillis(20),
                        () -> guest.isRunning() ? Optional.empty() : Optional.of(true),
                        () -> "still running");
        killed = guest.id();
        guest.shell().run("true", GONE);
    }

    @Test
    void b_usesTheLivepatchApi(Livepatches livepatches) {
        assertThat(livepatches.stack().patches()).isEmpty();
    }

    @Test
    void b_runsOnANewGuest(Guest guest) {
        assertThat(guest.id()).isNotEqualTo(killed);
    }

    @Test
    void c_usesTheShell(GuestShell shell) {
        shell.run("true", GONE);
    }

    @Test
    void d_usesTheGuest(Guest guest) {
        guest.shell().run("true", GONE);
    }
}
