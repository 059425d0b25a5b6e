package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.GuestShells;
import dev.livepatch.testkit.ssh.HostKeyMismatchException;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Waits until a guest runs an SSH command. QEMU's user networking accepts a forwarded connection at once, but
 * while the guest's network is not up its SYN is only retried seconds later, so an SSH attempt made too early
 * hangs. Before the guest is known to be up, an attempt is made only once the serial console showed the ready
 * line or a short raw probe read the server's banner.
 */
final class SshWait {
    private static final Duration RETRY = Duration.ofMillis(20);
    private static final Duration BANNER_WINDOW = Duration.ofMillis(250);

    private final SshTarget target;
    private final BooleanSupplier readyLineSeen;
    private final Runnable failIfDead;
    private String lastSeen = "no attempt yet";

    /**
     * @param readyLineSeen whether the serial console showed that the guest's network is up
     * @param failIfDead throws when the guest crashed or QEMU exited
     */
    SshWait(SshTarget target, BooleanSupplier readyLineSeen, Runnable failIfDead) {
        this.target = target;
        this.readyLineSeen = readyLineSeen;
        this.failIfDead = failIfDead;
    }

    /** A connected shell that ran {@code true}; {@code guestUp} skips the readiness gate (snapshot, reset). */
    GuestShell await(Deadline deadline, boolean guestUp) {
        return deadline.poll(
                "a working SSH command on " + target.host() + ":" + target.port(),
                RETRY,
                () -> attempt(deadline, guestUp, true),
                () -> lastSeen);
    }

    /**
     * A new session to a guest that is up (after a reset, or a dropped session), without a probe command: the
     * caller's next command is the probe, and it fails with its own error if the guest does not answer.
     */
    GuestShell reconnect(Deadline deadline) {
        return deadline.poll(
                "an SSH session on " + target.host() + ":" + target.port(),
                RETRY,
                () -> attempt(deadline, true, false),
                () -> lastSeen);
    }

    private Optional<GuestShell> attempt(Deadline deadline, boolean guestUp, boolean probe) {
        failIfDead.run();
        if (!guestUp && !readyLineSeen.getAsBoolean() && !bannerAnswers()) {
            return Optional.empty();
        }
        Duration timeout = min(Settings.SSH_TIMEOUT.get(), deadline.remaining());
        GuestShell shell = null;
        try {
            shell = GuestShells.connect(target, timeout);
            if (probe) {
                shell.run("true", timeout);
            }
            return Optional.of(shell);
        } catch (HostKeyMismatchException e) {
            throw e;
        } catch (SshException e) {
            if (shell != null) {
                shell.close();
            }
            lastSeen = e.getMessage();
            return Optional.empty();
        }
    }

    private boolean bannerAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) BANNER_WINDOW.toMillis());
            socket.setSoTimeout((int) BANNER_WINDOW.toMillis());
            InputStream in = socket.getInputStream();
            byte[] banner = in.readNBytes(4);
            if (new String(banner, StandardCharsets.US_ASCII).equals("SSH-")) {
                return true;
            }
            lastSeen = "the SSH port closed without a banner (the guest's SSH server is not up yet)";
        } catch (IOException e) {
            lastSeen = "no SSH banner within " + BANNER_WINDOW.toMillis() + " ms (" + e.getMessage() + ")";
        }
        return false;
    }

    private static Duration min(Duration a, Duration b) {
        Duration smaller = a.compareTo(b) <= 0 ? a : b;
        return smaller.isZero() ? Duration.ofMillis(1) : smaller;
    }
}
