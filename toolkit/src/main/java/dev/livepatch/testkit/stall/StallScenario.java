package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A stalled transition to reproduce: what runs in the guest first, then the patch, and how long a transition may
 * take before it counts as stalled.
 *
 * @param fixtures modules loaded before the patch, in order (e.g. one that parks a task in a patched function)
 * @param workloads shell commands started in the background before the patch, each in its own session
 * @param patch the livepatch
 * @param limit how long the patching transition may take before it counts as stalled
 * @param ending how to end a stalled transition
 */
@API(status = INTERNAL, since = "0.1")
public record StallScenario(
        List<ModuleLoad> fixtures, List<String> workloads, ModuleLoad patch, Duration limit, Ending ending) {

    public StallScenario {
        fixtures = List.copyOf(fixtures);
        workloads = List.copyOf(workloads);
        if (!patch.module().modInfo().livepatch()) {
            throw new IllegalArgumentException(
                    patch.name() + " (" + patch.module().path()
                            + ") is not a livepatch: its modinfo lacks livepatch=Y. Pass it with --with to load it first.");
        }
        fixtures.stream()
                .filter(fixture -> fixture.module().modInfo().livepatch())
                .findFirst()
                .ifPresent(fixture -> {
                    throw new IllegalArgumentException(fixture.name() + " is a livepatch; a scenario loads one"
                            + " livepatch, after its fixture modules.");
                });
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("The wait for the transition must be positive, not " + limit);
        }
    }
}
