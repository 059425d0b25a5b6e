package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.livepatch.Blocker;
import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Operation;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.PatchState;
import dev.livepatch.testkit.livepatch.TransitionTimeoutException;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.util.ShellQuoting;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Runs a {@link StallScenario} in a guest: loads the fixtures, starts the workloads, loads the patch with the
 * kernel's {@code klp_try_switch_task} reasons switched on, and waits. When the wait runs out it records who blocks
 * the transition, then ends it as the scenario says, so the guest is left without a transition in progress.
 */
@API(status = INTERNAL, since = "0.1")
public final class StallReproduction {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final GuestShell shell;
    private final Livepatches livepatches;

    public StallReproduction(GuestShell shell) {
        this.shell = shell;
        this.livepatches = Livepatches.on(shell);
    }

    public StallReport run(StallScenario scenario) {
        livepatches.traceTaskSwitching(true);
        for (ModuleLoad fixture : scenario.fixtures()) {
            livepatches.loadModule(fixture.module().path(), fixture.parameters());
        }
        for (String workload : scenario.workloads()) {
            shell.run(background(workload), COMMAND_TIMEOUT);
        }
        ModuleLoad load = scenario.patch();
        Patch patch = livepatches.load(load.module().path(), load.parameters());
        Optional<Operation> finished;
        List<Blocker> blockers = List.of();
        try {
            finished = Optional.of(patch.awaitTransition(scenario.limit()));
        } catch (TransitionTimeoutException stalled) {
            finished = Optional.empty();
            blockers = stalled.blockers();
        }
        Optional<PatchState> state = patch.state();
        String sysfs = livepatches.sysfsDump();
        Optional<String> ending = finished.isPresent() ? Optional.empty() : Optional.of(end(patch, scenario));
        KernelLog log = livepatches.kernelLog();
        return new StallReport(
                scenario,
                finished.map(operation -> transitionTime(patch, operation, log)),
                blockers,
                state.map(PatchState::objects).orElse(List.of()),
                ending,
                log,
                sysfs,
                livepatches.taint(),
                livepatches.transitions());
    }

    private String end(Patch patch, StallScenario scenario) {
        Operation ending = scenario.ending() == Ending.REVERSE ? patch.reverse() : patch.force();
        Operation finished = patch.awaitTransition(scenario.limit());
        String verb = scenario.ending() == Ending.REVERSE ? "reversed" : "forced";
        String now = patch.state().map(PatchState::summary).orElse(patch.name() + " is gone from sysfs");
        return verb + " (" + ending.command() + "); the transition was over "
                + Durations.format(ending.duration().plus(finished.duration())) + " later: " + now;
    }

    /** By the kernel's clock when its messages say, else from the host's view of the two commands. */
    private static Duration transitionTime(Patch patch, Operation finished, KernelLog log) {
        String name = "'" + patch.name() + "': ";
        return log.timeBetween(name + "starting patching transition", name + "patching complete")
                .orElseGet(() -> patch.loading()
                        .map(Operation::duration)
                        .orElse(Duration.ZERO)
                        .plus(finished.duration()));
    }

    /** Started in its own session with no terminal, so it outlives the SSH command that starts it. */
    static String background(String workload) {
        return "setsid sh -c " + ShellQuoting.quote(workload) + " < /dev/null > /dev/null 2>&1 &";
    }
}
