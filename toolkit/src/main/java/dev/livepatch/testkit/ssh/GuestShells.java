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
}
