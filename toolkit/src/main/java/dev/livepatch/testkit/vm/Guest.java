package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.SshTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/** A running QEMU guest reachable over SSH. Closing it stops QEMU and removes its run folder. */
@API(status = STABLE, since = "0.1")
public interface Guest extends AutoCloseable {
    String id();

    /** The guest's SSH session (opened on first use, reopened after {@link #reset()}). */
    GuestShell shell();

    /** Restores the boot snapshot: everything done since boot (files, modules, patches) is gone. */
    void reset();

    /** Whether {@link #reset()} can restore a boot snapshot; a guest booted without saving one cannot. */
    default boolean canReset() {
        return true;
    }

    SshTarget sshTarget();

    Path serialLog();

    /** The last {@code lines} lines the guest printed on its serial console. */
    String serialTail(int lines);

    /**
     * The last {@code lines} lines of the serial console under a header that says what they cover, never silently
     * empty. A guest started from its boot snapshot printed its boot in the process that saved the snapshot (a log
     * not kept with it), so its console holds only what came after the start.
     */
    default String serialSection(int lines) {
        boolean fromSnapshot = startMode() == StartMode.SNAPSHOT;
        String tail = serialTail(lines);
        if (tail.isBlank()) {
            tail = fromSnapshot
                    ? "(nothing printed since the guest started from its boot snapshot)"
                    : "(nothing printed since QEMU started)";
        }
        return "--- serial console (last " + lines + " lines"
                + (fromSnapshot ? " since the guest started from its boot snapshot; its boot is not in this log" : "")
                + ") ---\n" + tail;
    }

    /** The first panic/oops line seen on the serial console, if any. */
    Optional<String> crash();

    StartMode startMode();

    /** How long the start took, from launching QEMU to a working SSH command. */
    Duration startDuration();

    Accelerator accelerator();

    Machine machine();

    boolean isRunning();

    @Override
    void close();
}
