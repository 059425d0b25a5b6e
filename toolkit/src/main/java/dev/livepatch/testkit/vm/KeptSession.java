package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import dev.livepatch.testkit.ssh.kept.KeptSessions;
import dev.livepatch.testkit.ssh.kept.SessionPort;
import dev.livepatch.testkit.ssh.kept.SessionTranscript;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest's side of the SSH session its boot snapshot keeps (see {@code dev.livepatch.testkit.ssh.kept}): the host
 * end of its SSH port, and the transcript to take the session up from after each {@code loadvm}. When something
 * unexpected happens, it says why in the log and the guest connects over TCP instead.
 */
final class KeptSession implements AutoCloseable {
    /** How long a guest whose SSH works over TCP may take to show its SSH server's banner on the SSH port. */
    private static final Duration PORT_BANNER_WAIT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(KeptSession.class);

    private final String guest;
    private final SessionPort port;
    private final Runnable failIfDead;
    private SessionTranscript transcript;

    KeptSession(String guest, SessionPort port, Runnable failIfDead) {
        this.guest = guest;
        this.port = port;
        this.failIfDead = failIfDead;
    }

    /** The transcript of the session the boot snapshot keeps, once one is kept. */
    Optional<SessionTranscript> transcript() {
        return Optional.ofNullable(transcript);
    }

    /**
     * Saves the boot snapshot with {@code monitor}, keeping in it a session opened over the port when the guest serves
     * one: that session's shell is returned, to be used until the next reset.
     */
    Optional<GuestShell> saveSnapshot(SshTarget target, GuestMonitor monitor, Duration timeout) {
        Optional<KeptSessions.KeptShell> opened = open(target, timeout);
        monitor.stop("stop the guest to save its boot snapshot");
        Optional<GuestShell> shell = opened.flatMap(this::keep);
        monitor.saveSnapshot();
        monitor.cont("let the guest run after saving its boot snapshot");
        return shell;
    }

    /**
     * Opens and records a session over the port, to be kept in the snapshot about to be saved; empty when the image
     * serves none there.
     */
    private Optional<KeptSessions.KeptShell> open(SshTarget target, Duration timeout) {
        if (!port.hasInput(PORT_BANNER_WAIT)) {
            LOG.info(
                    "Guest {}: its image serves no SSH session on port {}; its snapshot keeps none",
                    guest,
                    SessionPort.NAME);
            return Optional.empty();
        }
        try {
            return Optional.of(KeptSessions.open(target, port.pipe(), timeout));
        } catch (SshException e) {
            failIfDead.run();
            LOG.warn("Guest {}: no SSH session over its SSH port ({}); its snapshot keeps none", guest, e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The session opened by {@link #open}, now that the guest is stopped for {@code savevm}: kept when its server
     * has written nothing since the handshake (the snapshot must hold the state the transcript leads to).
     */
    private Optional<GuestShell> keep(KeptSessions.KeptShell kept) {
        if (port.settle() > 0 || kept.bytesReadSince().getAsLong() > 0) {
            LOG.warn("Guest {}: its SSH server wrote after the handshake; its snapshot keeps no session", guest);
            kept.shell().close();
            return Optional.empty();
        }
        transcript = kept.transcript();
        return Optional.of(kept.shell());
    }

    /** Takes up the session of {@code kept}, which the snapshot this guest started from holds. */
    Optional<GuestShell> takeUp(SshTarget target, SessionTranscript kept, Duration timeout, boolean probe) {
        transcript = kept;
        return takeUp(target, timeout, probe);
    }

    /**
     * The kept session made again from its transcript, after {@code loadvm}, proved by a command's round trip when
     * {@code probe}; empty when the snapshot keeps none, or (and later shells connect over TCP) when that cannot be
     * done.
     */
    Optional<GuestShell> takeUp(SshTarget target, Duration timeout, boolean probe) {
        if (transcript == null) {
            return Optional.empty();
        }
        try {
            GuestShell shell = KeptSessions.resume(target, port.pipe(), transcript, timeout);
            if (probe) {
                shell.run("true", timeout);
            }
            return Optional.of(shell);
        } catch (SshException e) {
            failIfDead.run();
            LOG.warn(
                    "Guest {}: the SSH session kept in its snapshot could not be taken up ({}); connecting anew",
                    guest,
                    e.getMessage());
            transcript = null;
            return Optional.empty();
        }
    }

    /** Drops what the guest wrote to the port before {@code loadvm}: call it with the guest stopped. */
    void restart() {
        port.restart();
    }

    @Override
    public void close() {
        port.close();
    }
}
