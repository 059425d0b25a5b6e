package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.jcraft.jsch.Session;
import java.time.Duration;
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
     * A shell over an open session whose commands go to {@code runner} while it takes them (a kept session's command
     * loop), and to exec channels otherwise.
     */
    public static GuestShell over(SshTarget target, Session session, CommandRunner runner) {
        return new JschGuestShell(target, session, runner);
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
