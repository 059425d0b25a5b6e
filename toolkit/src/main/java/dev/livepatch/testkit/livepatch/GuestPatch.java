package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.config.Settings;
import java.time.Duration;
import java.util.Optional;

/** A patch handle whose operations run through {@link GuestScripts}. */
final class GuestPatch implements Patch {
    /** How often the guest-side wait reads the {@code transition} attribute. */
    private static final String POLL_INTERVAL_SECONDS = "0.005";

    private final GuestLivepatches livepatches;
    private final GuestScripts scripts;
    private final String name;
    private final Operation loading;
    private String transitionMarker;
    private boolean towardsEnabled = true;

    /**
     * @param transitionMarker the kernel log line the current transition's log starts at: the marker of the
     *     operation that started it
     */
    GuestPatch(
            GuestLivepatches livepatches,
            GuestScripts scripts,
            String name,
            Operation loading,
            String transitionMarker) {
        this.livepatches = livepatches;
        this.scripts = scripts;
        this.name = name;
        this.loading = loading;
        this.transitionMarker = transitionMarker;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String module() {
        return name;
    }

    @Override
    public Optional<Operation> loading() {
        return Optional.ofNullable(loading);
    }

    @Override
    public Operation awaitTransition(Duration timeout) {
        long start = System.nanoTime();
        ScriptOutput output = scripts.call(
                timeout.plus(Settings.SSH_TIMEOUT.get()),
                "lpt_await",
                name,
                Long.toString(GuestLivepatches.centiseconds(timeout)),
                POLL_INTERVAL_SECONDS,
                transitionMarker);
        String seen = output.value("seen").orElse("nothing");
        boolean patching = seen.contains("enabled=") ? seen.contains("enabled=1") : towardsEnabled;
        String awaited =
                "the " + (patching ? "patching" : "unpatching") + " transition of patch '" + name + "' to finish";
        if (!output.value("status").orElse("?").equals("0")) {
            throw new TransitionTimeoutException(
                    name, awaited, timeout, seen, livepatches.blockers(), output.kernelLog());
        }
        return new Operation(
                name,
                "wait for " + awaited + " (" + seen + ")",
                Duration.ofNanos(System.nanoTime() - start),
                output.kernelLog());
    }

    @Override
    public Operation disable() {
        return startsTransition(livepatches.write(name, "enabled", "0", Failures.Action.WRITE_ENABLED), false);
    }

    @Override
    public Operation reverse() {
        long start = System.nanoTime();
        ScriptOutput output = scripts.call("lpt_reverse", name);
        String seen = output.value("seen").orElse("nothing");
        String value = seen.contains("enabled=1") ? "0" : "1";
        String command = "echo " + value + " > " + GuestLivepatches.SYSFS + "/" + name + "/enabled";
        if (!seen.startsWith("transition=1")) {
            throw new LivepatchException(
                    name,
                    command,
                    "the patch is not in transition (" + seen + "); reverse() only turns a running transition"
                            + " around. Use disable() to disable an enabled patch.",
                    null,
                    KernelLog.empty());
        }
        if (!output.value("status").orElse("?").equals("0")) {
            throw Failures.of(name, command, Failures.Action.WRITE_ENABLED, output);
        }
        return startsTransition(
                new Operation(name, command, Duration.ofNanos(System.nanoTime() - start), output.kernelLog()),
                value.equals("1"));
    }

    @Override
    public Operation force() {
        return livepatches.write(name, "force", "1", Failures.Action.WRITE_FORCE);
    }

    @Override
    public Operation unload() {
        return livepatches.unloadModule(name);
    }

    @Override
    public Optional<PatchState> state() {
        return livepatches.state(name);
    }

    private Operation startsTransition(Operation operation, boolean enabling) {
        transitionMarker = "% " + operation.command();
        towardsEnabled = enabling;
        return operation;
    }

    @Override
    public String toString() {
        return "patch " + name;
    }
}
