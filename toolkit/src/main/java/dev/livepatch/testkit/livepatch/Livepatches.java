package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.ssh.GuestShell;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * Loads, inspects and removes livepatches in a guest over its shell. Each operation is one SSH command that writes
 * a {@code % ...} marker line to the kernel log (as the kernel's selftests do), acts, and returns the kernel's
 * messages from that marker on. Failures throw {@link LivepatchException} with the kernel's error text.
 */
@API(status = STABLE, since = "0.1")
public interface Livepatches {

    /**
     * Each transition awaited through this object ({@link Patch#awaitTransition}), in order, including one that was
     * still stalled when its wait gave up.
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    default List<TransitionTimeline> transitions() {
        return List.of();
    }

    static Livepatches on(GuestShell shell) {
        return new GuestLivepatches(new GuestScripts(shell, ""));
    }

    /**
     * Copies the module into the guest (once per content) and loads it with {@code insmod}; the patch then starts
     * its patching transition, which {@link Patch#awaitTransition} waits for.
     */
    default Patch load(Path ko) {
        return load(ko, Map.of());
    }

    /** As {@link #load(Path)}, with module parameters such as {@code replace=1}. */
    Patch load(Path ko, Map<String, String> parameters);

    /** Loads a module built from {@code patches/}; one that is not a livepatch is refused before the guest sees it. */
    default Patch load(BuiltModule module) {
        return load(module, Map.of());
    }

    default Patch load(BuiltModule module, Map<String, String> parameters) {
        if (!module.modInfo().livepatch()) {
            throw new LivepatchException(
                    module.name(),
                    "insmod " + module.ko().getFileName(),
                    "the module is not a livepatch (its modinfo lacks livepatch=Y); load it with loadModule()",
                    null,
                    KernelLog.empty());
        }
        return load(module.ko(), parameters);
    }

    /** @deprecated the module type moved to {@link BuiltModule}: use {@link #load(BuiltModule, Map)}. */
    @Deprecated(since = "0.1.0", forRemoval = true)
    @SuppressWarnings("removal")
    default Patch load(dev.livepatch.testkit.build.BuiltModule module) {
        return load(module.moved(), Map.of());
    }

    /** @deprecated the module type moved to {@link BuiltModule}: use {@link #load(BuiltModule, Map)}. */
    @Deprecated(since = "0.1.0", forRemoval = true)
    @SuppressWarnings("removal")
    default Patch load(dev.livepatch.testkit.build.BuiltModule module, Map<String, String> parameters) {
        return load(module.moved(), parameters);
    }

    /** A handle on a patch that is already in the guest, loaded some other way. */
    Patch patch(String name);

    /** Loads a module that is not a livepatch, such as a fixture module a patch targets. */
    default Operation loadModule(Path ko) {
        return loadModule(ko, Map.of());
    }

    Operation loadModule(Path ko, Map<String, String> parameters);

    /** Loads a fixture module built from {@code patches/}; a livepatch is refused: load it with {@link #load}. */
    default Operation loadModule(BuiltModule module) {
        return loadModule(module, Map.of());
    }

    /** @deprecated the module type moved to {@link BuiltModule}: use {@link #loadModule(BuiltModule, Map)}. */
    @Deprecated(since = "0.1.0", forRemoval = true)
    @SuppressWarnings("removal")
    default Operation loadModule(dev.livepatch.testkit.build.BuiltModule module) {
        return loadModule(module.moved(), Map.of());
    }

    /** @deprecated the module type moved to {@link BuiltModule}: use {@link #loadModule(BuiltModule, Map)}. */
    @Deprecated(since = "0.1.0", forRemoval = true)
    @SuppressWarnings("removal")
    default Operation loadModule(dev.livepatch.testkit.build.BuiltModule module, Map<String, String> parameters) {
        return loadModule(module.moved(), parameters);
    }

    default Operation loadModule(BuiltModule module, Map<String, String> parameters) {
        if (module.modInfo().livepatch()) {
            throw new LivepatchException(
                    module.name(),
                    "insmod " + module.ko().getFileName(),
                    "the module is a livepatch (livepatch=Y); load it with load() to get a handle on the patch",
                    null,
                    KernelLog.empty());
        }
        return loadModule(module.ko(), parameters);
    }

    Operation unloadModule(String module);

    /** The patches in {@code /sys/kernel/livepatch}, in stack order (loaded first to loaded last). */
    default List<PatchState> patches() {
        return stack().patches();
    }

    PatchStack stack();

    /**
     * The tasks holding up the running transition, with their stacks and the kernel's own reasons; empty when no
     * patch is in transition. The kernel says why a task cannot switch only in {@code klp_try_switch_task}'s debug
     * messages: unless {@link #traceTaskSwitching} is on, they are switched on here for the transition's next retry
     * (the kernel retries every second), so this call takes up to about a second and leaves those lines in the
     * kernel log. Without dynamic debug in the kernel, reasons are empty.
     */
    List<Blocker> blockers();

    Taint taint();

    /** The module's reference count ({@code /sys/module/<module>/refcnt}), empty when it is not loaded. */
    OptionalInt refcount(String module);

    /**
     * Waits until the module's reference count reads {@code count}, polling in the guest: e.g. until a fixture's
     * work has dropped its references, before {@code rmmod}.
     *
     * @throws LivepatchException after {@code timeout}, with the count last seen (or that the module is gone)
     */
    Operation awaitRefcount(String module, int count, Duration timeout);

    /**
     * Writes {@code value} to a guest file, after a {@code % echo ...} marker in the kernel log: a sysfs attribute,
     * a module parameter or a {@code /proc/sys} setting. The kernel's answer to the write is its errno.
     *
     * @throws LivepatchException with the kernel's errno text (e.g. {@code Invalid argument}) when it refuses
     */
    Operation write(String path, String value);

    /** Writes a module parameter ({@code /sys/module/<module>/parameters/<parameter>}, writable when its mode is). */
    default Operation setModuleParameter(String module, String parameter, String value) {
        return write("/sys/module/" + module + "/parameters/" + parameter, value);
    }

    /** The whole kernel log. */
    KernelLog kernelLog();

    /**
     * The kernel log from the last line reading {@code marker} on; empty when the marker is not in the log.
     *
     * @deprecated the same as {@code kernelLog().since(marker)}, which says it; this goes in the next release
     */
    @Deprecated(since = "0.1.0", forRemoval = true)
    default KernelLog kernelLogSince(String marker) {
        return kernelLog().since(marker);
    }

    /** Every readable attribute under {@code /sys/kernel/livepatch}, one {@code path:value} per line. */
    String sysfsDump();

    /** The content of a guest file such as {@code /proc/cmdline}. */
    String read(String path);

    /**
     * Whether the kernel logs, on each retry, why each task could not switch ({@code klp_try_switch_task}
     * dynamic debug). Off by default, as in the kernel's selftests, because it logs a line per task and second;
     * {@link #blockers()} gets the reasons either way.
     */
    Livepatches traceTaskSwitching(boolean enabled);
}
