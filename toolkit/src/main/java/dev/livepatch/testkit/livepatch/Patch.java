package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.config.Settings;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/** A livepatch loaded in a guest. Its name is its module's name. */
@API(status = STABLE, since = "0.1")
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

    /**
     * Writes 1 to {@code enabled}. The kernel accepts it only while the patch's unpatching transition runs (which it
     * turns around into patching); on an enabled patch, whose {@code enabled} is already 1, it answers EINVAL, thrown
     * as a {@link LivepatchException} with that errno. A disabled patch cannot be enabled again: once its unpatching
     * transition is over the kernel frees it and its folder leaves {@code /sys/kernel/livepatch}, so there is nothing
     * to write to, and this throws a {@link LivepatchException} without an errno, saying the patch is not there. Load
     * its module again instead (after {@link #unload()}).
     */
    Operation enable();

    /** Writes 0 to {@code enabled}: starts the unpatching transition; afterwards the patch is freed. */
    Operation disable();

    /** Writes the opposite of {@code enabled} while the patch is in transition, which turns the transition around. */
    Operation reverse();

    /** Writes 1 to {@code force}: marks every task switched regardless of its stack. */
    Operation force();

    /**
     * Removes the module with {@code rmmod}, possible once the patch is disabled or replaced and freed. The kernel
     * keeps the module of a patch whose unpatching transition, or whose replacement's transition, was forced
     * ({@link #force()}) until reboot, as a task may still run its code: rmmod then fails. Forcing the patch's own
     * patching transition does not pin it.
     */
    Operation unload();

    /** The patch as sysfs shows it now; empty once it is gone. */
    Optional<PatchState> state();
}
