package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.build.BuiltModule;
import dev.livepatch.testkit.ssh.GuestShell;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Loads, inspects and removes livepatches in a guest over its shell. Each operation is one SSH command that writes
 * a {@code % ...} marker line to the kernel log (as the kernel's selftests do), acts, and returns the kernel's
 * messages from that marker on. Failures throw {@link LivepatchException} with the kernel's error text.
 */
public interface Livepatches {

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

    /** The tasks holding up the running transition, with their stacks; empty when no patch is in transition. */
    List<Blocker> blockers();

    Taint taint();

    /** The module's reference count ({@code /sys/module/<module>/refcnt}), empty when it is not loaded. */
    OptionalInt refcount(String module);

    /** The whole kernel log. */
    KernelLog kernelLog();

    /** The kernel log from the last line reading {@code marker} on; empty when the marker is not in the log. */
    default KernelLog kernelLogSince(String marker) {
        return kernelLog().since(marker);
    }

    /** Every readable attribute under {@code /sys/kernel/livepatch}, one {@code path:value} per line. */
    String sysfsDump();

    /** The content of a guest file such as {@code /proc/cmdline}. */
    String read(String path);

    /**
     * Whether the kernel logs, on each retry, why each task could not switch ({@code klp_try_switch_task}
     * dynamic debug). Off by default, as in the kernel's selftests, because it logs a line per task and second.
     */
    Livepatches traceTaskSwitching(boolean enabled);
}
