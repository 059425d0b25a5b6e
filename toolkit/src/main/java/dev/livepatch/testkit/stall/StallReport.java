package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.livepatch.Blocker;
import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.PatchedObject;
import dev.livepatch.testkit.livepatch.Taint;
import dev.livepatch.testkit.livepatch.TransitionTimeline;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a {@link StallScenario} did in the guest.
 *
 * @param scenario the scenario that ran
 * @param completedIn how long the patching transition took, when it finished within the scenario's wait
 * @param blockers the tasks that had not switched when the wait ran out, with their stacks and the kernel's reasons
 * @param objects what the patch changes, from its sysfs folder
 * @param ending how the stalled transition was ended and what sysfs showed then; empty when it did not stall
 * @param kernelLog the whole kernel log at the end, from boot through the fixtures, the patch and its ending
 * @param sysfs every attribute under {@code /sys/kernel/livepatch} when the wait ran out (or the transition ended)
 * @param taint the kernel's taint at the end
 * @param transitions the transitions awaited, in order: the stalled one (ending {@code stalled}), then how its ending
 *     went
 */
@API(status = INTERNAL, since = "0.1")
public record StallReport(
        StallScenario scenario,
        Optional<Duration> completedIn,
        List<Blocker> blockers,
        List<PatchedObject> objects,
        Optional<String> ending,
        KernelLog kernelLog,
        String sysfs,
        Taint taint,
        List<TransitionTimeline> transitions) {

    public StallReport {
        blockers = List.copyOf(blockers);
        objects = List.copyOf(objects);
        transitions = List.copyOf(transitions);
    }

    public boolean stalled() {
        return completedIn.isEmpty();
    }

    /** Whether the patch replaces {@code function}, by its sysfs folders. */
    public boolean patches(String function) {
        return objects.stream().anyMatch(object -> object.patches(function));
    }
}
