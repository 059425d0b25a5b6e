package dev.livepatch.testkit.livepatch;

import static dev.livepatch.testkit.livepatch.GuestScripts.arg;

import dev.livepatch.testkit.config.Settings;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** A patch handle whose operations run through {@link GuestScripts}. */
final class GuestPatch implements Patch {
    /** What {@code lpt_await} waits for: enabled and out of transition, or freed. */
    private static final Set<String> TRANSITION_OVER = Set.of("transition=0 enabled=1", "removed");

    private final GuestLivepatches livepatches;
    private final GuestScripts scripts;
    private final String name;
    private final Operation loading;
    /** The kernel log line the current transition's log starts at: the marker of the operation that started it. */
    private String transitionMarker;

    private boolean towardsEnabled = true;
    /** The operation that started the current transition, when the guest saw that transition over already. */
    private GuestLivepatches.Timed finishedAtOnce;

    /** A handle on a patch this handle's {@code insmod} loaded. */
    GuestPatch(GuestLivepatches livepatches, GuestScripts scripts, String name, GuestLivepatches.Timed loading) {
        this.livepatches = livepatches;
        this.scripts = scripts;
        this.name = name;
        this.loading = loading.operation(name);
        startsTransition(loading, true);
    }

    /** A handle on a patch that was loaded before: its transition's log starts at its enabling line. */
    GuestPatch(GuestLivepatches livepatches, GuestScripts scripts, String name) {
        this.livepatches = livepatches;
        this.scripts = scripts;
        this.name = name;
        this.loading = null;
        this.transitionMarker = "livepatch: enabling patch '" + name + "'";
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
        if (finishedAtOnce != null) {
            GuestLivepatches.Timed started = finishedAtOnce;
            finishedAtOnce = null;
            String seen = started.after().orElseThrow();
            return new Operation(
                    name,
                    "wait for " + awaited(seen) + " (" + seen + ")",
                    Duration.ZERO,
                    started.output().kernelLog(),
                    Optional.of(livepatches.record(
                            TransitionTimelines.read(name, started.output().kernelLog()))));
        }
        long start = System.nanoTime();
        ScriptOutput output = scripts.call(
                timeout.plus(Settings.SSH_TIMEOUT.get()),
                "lpt_await",
                arg("patch", name),
                arg("limit", timeout),
                arg("interval", GuestLivepatches.POLL_INTERVAL),
                arg("marker", transitionMarker));
        String seen = output.value(GuestTag.SEEN).orElse("nothing");
        boolean over = output.value(GuestTag.STATUS).orElse("?").equals("0");
        TransitionTimeline timeline = livepatches.record(TransitionTimelines.read(name, output, over));
        if (!over) {
            throw new TransitionTimeoutException(
                    name, awaited(seen), timeout, seen, livepatches.blockers(), output.kernelLog(), timeline);
        }
        return new Operation(
                name,
                "wait for " + awaited(seen) + " (" + seen + ")",
                Duration.ofNanos(System.nanoTime() - start),
                output.kernelLog(),
                Optional.of(timeline));
    }

    private String awaited(String seen) {
        boolean patching = seen.contains("enabled=") ? seen.contains("enabled=1") : towardsEnabled;
        return "the " + (patching ? "patching" : "unpatching") + " transition of patch '" + name + "' to finish";
    }

    @Override
    public Operation enable() {
        return startsTransition(livepatches.write(name, "enabled", "1", Failures.Action.WRITE_ENABLED), true);
    }

    @Override
    public Operation disable() {
        return startsTransition(livepatches.write(name, "enabled", "0", Failures.Action.WRITE_ENABLED), false);
    }

    @Override
    public Operation reverse() {
        long start = System.nanoTime();
        ScriptOutput output = scripts.call("lpt_reverse", arg("patch", name));
        String seen = output.value(GuestTag.SEEN).orElse("nothing");
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
        if (!output.value(GuestTag.STATUS).orElse("?").equals("0")) {
            throw Failures.of(name, command, Failures.Action.WRITE_ENABLED, output);
        }
        return startsTransition(
                new GuestLivepatches.Timed(command, output, Duration.ofNanos(System.nanoTime() - start)),
                value.equals("1"));
    }

    @Override
    public Operation force() {
        return livepatches
                .write(name, "force", "1", Failures.Action.WRITE_FORCE)
                .operation(name);
    }

    @Override
    public Operation unload() {
        return livepatches.unloadModule(name);
    }

    @Override
    public Optional<PatchState> state() {
        return livepatches.state(name);
    }

    private Operation startsTransition(GuestLivepatches.Timed started, boolean enabling) {
        transitionMarker = "% " + started.command();
        towardsEnabled = enabling;
        finishedAtOnce = started.after().filter(TRANSITION_OVER::contains).isPresent() ? started : null;
        return started.operation(name);
    }

    @Override
    public String toString() {
        return "patch " + name;
    }
}
