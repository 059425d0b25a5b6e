package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

/** Opens SSH sessions to guests. */
@API(status = INTERNAL, since = "0.1")
public final class GuestShells {
    private GuestShells() {}

    /**
     * Connects and authenticates with the target's private key, accepting only the pinned host key. Fails fast
     * with {@link SshException} while nothing listens yet or the server resets the connection, so callers can
     * retry until their own deadline; a {@link HostKeyMismatchException} is final.
     *
     * @param timeout for the TCP connect and the SSH handshake together
     */
    public static GuestShell connect(SshTarget target, Duration timeout) {
        return JschGuestShell.connect(target, timeout);
    }

    /**
     * A shell over a session opened on {@code pipe} and recorded, to be kept in a snapshot.
     *
     * @param bytesReadSince how many bytes the server sent after the handshake: none may come before the snapshot
     *     is taken, or the recorded handshake would not lead to the snapshot's state
     */
    public record KeptShell(GuestShell shell, SessionTranscript transcript, LongSupplier bytesReadSince) {}

    /** Opens a session over {@code pipe} (see {@link SessionTranscript}) and records how. */
    public static KeptShell keep(SshTarget target, SessionPipe pipe, Duration timeout) {
        return KeptSessions.open(target, pipe, timeout);
    }

    /**
     * Takes up the session of {@code transcript} over {@code pipe}, whose server end was restored from the snapshot
     * taken right after it was recorded: no handshake reaches the guest. Fails with {@link SshException} when this
     * client does not make the recorded handshake (nothing was sent to the guest then).
     */
    public static GuestShell resume(
            SshTarget target, SessionPipe pipe, SessionTranscript transcript, Duration timeout) {
        return KeptSessions.resume(target, pipe, transcript, timeout);
    }

    /**
     * Loads the SSH client's classes and the JDK's crypto providers on a background thread, so that the first
     * connection of this JVM does not pay for them (call it while a guest is still starting).
     */
    public static void prepareInBackground() {
        Thread thread = new Thread(CryptoWarmup::run, "lpt-ssh-warmup");
        thread.setDaemon(true);
        thread.start();
    }
}
