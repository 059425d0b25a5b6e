package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.ssh.GuestShell;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.function.IntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest's QEMU monitor for what a guest does to itself: stop and run its CPUs, save (once it is quiet) and restore
 * its boot snapshot.
 * A failure is explained by the guest's crash or exit when there is one, else reported with its console.
 */
final class GuestMonitor implements AutoCloseable {
    /**
     * Waits (up to 5 s) for a tenth of a second in which the guest's CPUs spent at most one tick outside idle, read from
     * {@code /proc/stat} by the shell itself. Whatever still runs at {@code savevm} runs again after every
     * {@code loadvm}, on code that emulation translates anew, and delays the first command of every test.
     */
    private static final String AWAIT_QUIET = "p=; i=0; while [ $i -lt 50 ]; do"
            + " read -r c u n s x w q f rest < /proc/stat; t=$((u + n + s + q + f));"
            + " [ -n \"$p\" ] && [ $((t - p)) -le 1 ] && exit 0; p=$t; i=$((i + 1)); sleep 0.1; done; exit 1";

    private static final Logger LOG = LoggerFactory.getLogger(GuestMonitor.class);

    private final Qmp qmp;
    private final String guest;
    private final GuestFailures failures;
    private final IntFunction<String> serialSection;

    GuestMonitor(Qmp qmp, String guest, GuestFailures failures, IntFunction<String> serialSection) {
        this.qmp = qmp;
        this.guest = guest;
        this.failures = failures;
        this.serialSection = serialSection;
    }

    void stop(String purpose) {
        command("stop", purpose);
    }

    void cont(String purpose) {
        command("cont", purpose);
    }

    /** Lets what still runs after boot finish (through the guest's own shell), so that no snapshot replays it. */
    void awaitQuiet(GuestShell shell, Duration timeout) {
        if (shell.exec(AWAIT_QUIET, timeout).exitCode() != 0) {
            LOG.info("Guest {}: still busy 5 s after boot; saving its boot snapshot anyway", guest);
        }
    }

    void saveSnapshot() {
        human("savevm " + SnapshotStore.TAG, "save the boot snapshot");
    }

    void loadSnapshot() {
        human("loadvm " + SnapshotStore.TAG, "restore the boot snapshot");
    }

    private void command(String command, String purpose) {
        try {
            qmp.execute(command, Map.of(), Settings.BOOT_TIMEOUT.get());
        } catch (IOException e) {
            throw failed(purpose, e);
        }
    }

    private void human(String command, String purpose) {
        try {
            qmp.human(command, Settings.BOOT_TIMEOUT.get());
        } catch (IOException e) {
            throw failed(purpose, e);
        }
    }

    private GuestException failed(String purpose, IOException e) {
        failures.failIfDead();
        return new GuestException(
                "Could not " + purpose + " (guest " + guest + "): " + e.getMessage() + "\n" + serialSection.apply(30),
                e);
    }

    @Override
    public void close() {
        qmp.close();
    }
}
