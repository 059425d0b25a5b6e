package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.config.Settings;
import java.time.Duration;
import java.util.Optional;

/** A livepatch loaded in a guest. Its name is its module's name. */
public interface Patch {
    String name();

    /** The module to remove with {@link #unload()}: the same name as the patch. */
    String module();

    /** The {@code insmod}, when this handle loaded the patch. */
    Optional<Operation> loading();

    /**
     * Waits until the patch's transition is over: it is enabled with {@code transition} 0, or it is gone (a disabled
     * or replaced patch is freed). The polling runs in the guest. The returned kernel log starts at the marker of
     * the operation that started the transition.
     *
     * @throws TransitionTimeoutException naming the tasks that block the transition
     */
    Operation awaitTransition(Duration timeout);

    default Operation awaitTransition() {
        return awaitTransition(Settings.TRANSITION_TIMEOUT.get());
    }

    /** Writes 0 to {@code enabled}: starts the unpatching transition; afterwards the patch is freed. */
    Operation disable();

    /** Writes the opposite of {@code enabled} while the patch is in transition, which turns the transition around. */
    Operation reverse();

    /** Writes 1 to {@code force}: marks every task switched regardless of its stack. */
    Operation force();

    /** Removes the module with {@code rmmod}; possible once the patch is disabled or replaced (and not forced). */
    Operation unload();

    /** The patch as sysfs shows it now; empty once it is gone. */
    Optional<PatchState> state();
}
