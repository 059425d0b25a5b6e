package dev.livepatch.testkit.ssh;

import java.time.Duration;

/** Opens SSH sessions to guests. */
public final class GuestShells {
    private GuestShells() {}

    /**
     * Connects and authenticates with the target's key, accepting only the pinned host key. Fails fast when
     * nothing listens yet, so callers can retry until their own deadline.
     */
    public static GuestShell connect(SshTarget target, Duration timeout) {
        return JschGuestShell.connect(target, timeout);
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
