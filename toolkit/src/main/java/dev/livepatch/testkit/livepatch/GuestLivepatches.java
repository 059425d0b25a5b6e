package dev.livepatch.testkit.livepatch;

import static dev.livepatch.testkit.livepatch.GuestScripts.arg;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.util.ShellQuoting;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/** {@link Livepatches} for a guest reached through its shell. */
final class GuestLivepatches implements Livepatches {
    static final String SYSFS = "/sys/kernel/livepatch";

    /** A freed patch drops its module reference just after its sysfs folder goes; rmmod waits this long for it. */
    private static final Duration REFERENCE_GRACE = Duration.ofSeconds(2);

    /** How often the guest-side waits read what they wait for. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(5);

    private static final String NO_KMOD = "the guest has neither klibc's insmod nor kmod's (/sbin/insmod is not"
            + " kmod's): busybox's insmod loads a module the kernel refused a second time, so the kernel would run every"
            + " failing load twice. Add klibc-utils or kmod to the packages of the guest image's recipe.";

    private final GuestScripts scripts;

    private final List<TransitionTimeline> transitions = new CopyOnWriteArrayList<>();

    GuestLivepatches(GuestScripts scripts) {
        this.scripts = scripts;
    }

    @Override
    public Patch load(Path ko, Map<String, String> parameters) {
        ModuleFile module = ModuleFile.of(ko, scripts.root());
        if (!module.modInfo().livepatch()) {
            throw refused(
                    module,
                    parameters,
                    "the module is not a livepatch (its .modinfo lacks livepatch=Y); load it with loadModule()");
        }
        Timed timed = insmod(module, parameters, true);
        if (timed.output().has(GuestTag.NOT_A_LIVEPATCH)) {
            throw new LivepatchException(
                    module.name(),
                    timed.command(),
                    "the module loaded but " + SYSFS + "/" + module.name() + " did not appear, so it is not a"
                            + " livepatch although its .modinfo says livepatch=Y. It was unloaded again.",
                    null,
                    timed.output().kernelLog());
        }
        return new GuestPatch(this, scripts, module.name(), timed);
    }

    @Override
    public Patch patch(String name) {
        return new GuestPatch(this, scripts, name);
    }

    @Override
    public Operation loadModule(Path ko, Map<String, String> parameters) {
        ModuleFile module = ModuleFile.of(ko, scripts.root());
        if (module.modInfo().livepatch()) {
            throw refused(
                    module,
                    parameters,
                    "the module is a livepatch (livepatch=Y); load it with load() to get a handle on the patch");
        }
        return insmod(module, parameters, false).operation(module.name());
    }

    /**
     * One command: the guest refuses a module built for another kernel or a guest without kmod, receives the
     * module unless this shell copied it already, and inserts it. A copy lost to a guest reset is sent again.
     */
    private Timed insmod(ModuleFile module, Map<String, String> parameters, boolean livepatch) {
        long start = System.nanoTime();
        List<String> words = ShellWords.parameters(parameters);
        String command = insmodCommand(module, words);
        ScriptOutput output = insmod(module, words, command, livepatch, !scripts.hasCopied(module.guestPath()));
        if (output.has(GuestTag.MISSING)) {
            output = insmod(module, words, command, livepatch, true);
        }
        if (output.has(GuestTag.NO_KMOD)) {
            throw refused(module, parameters, NO_KMOD);
        }
        Optional<String> guestRelease = output.value(GuestTag.WRONG_KERNEL);
        if (guestRelease.isPresent()) {
            throw refused(module, parameters, builtForAnotherKernel(module, guestRelease.get()));
        }
        Optional<String> incomplete = output.value(GuestTag.INCOMPLETE);
        if (incomplete.isPresent()) {
            throw refused(
                    module, parameters, "the copy to the guest broke off (" + incomplete.get() + "); nothing was kept");
        }
        scripts.copied(module.guestPath());
        Timed timed = new Timed(command, output, Duration.ofNanos(System.nanoTime() - start));
        if (!output.value(GuestTag.STATUS).orElse("?").equals("0")) {
            throw Failures.of(module.name(), command, Failures.Action.LOAD, output);
        }
        return timed;
    }

    private ScriptOutput insmod(
            ModuleFile module, List<String> words, String command, boolean livepatch, boolean send) {
        byte[] content = send ? module.guestContent() : new byte[0];
        List<String> arguments = new ArrayList<>(List.of(
                arg("ko", module.guestPath()),
                arg("module", module.name()),
                arg("livepatch", livepatch ? "1" : "0"),
                arg("release", module.release()),
                arg("marker", "% " + command),
                arg("size", Integer.toString(content.length)),
                "--"));
        arguments.addAll(words);
        return scripts.call(Settings.SSH_TIMEOUT.get(), content, "lpt_insmod", arguments.toArray(String[]::new));
    }

    private static String insmodCommand(ModuleFile module, List<String> words) {
        return "insmod " + module.fileName() + (words.isEmpty() ? "" : " " + String.join(" ", words));
    }

    private static LivepatchException refused(ModuleFile module, Map<String, String> parameters, String problem) {
        String command = insmodCommand(module, ShellWords.parameters(parameters));
        return new LivepatchException(module.name(), command, problem, null, KernelLog.empty());
    }

    private static String builtForAnotherKernel(ModuleFile module, String guestRelease) {
        String vermagic = module.modInfo().vermagic().map(String::strip).orElse("");
        return vermagic.isEmpty()
                ? "the module has no vermagic, so kernel " + guestRelease + " would refuse it; rebuild it with kbuild"
                        + " against " + guestRelease + "'s headers"
                : "the module was built for kernel " + module.release() + " (vermagic '" + vermagic
                        + "'), but the guest runs kernel " + guestRelease + ", which would refuse it. Rebuild it"
                        + " against " + guestRelease + "'s headers, or boot kernel " + module.release() + ".";
    }

    @Override
    public Operation unloadModule(String module) {
        long start = System.nanoTime();
        String command = "rmmod " + module;
        ScriptOutput output = scripts.call(
                "lpt_rmmod", arg("module", module), arg("marker", "% " + command), arg("grace", REFERENCE_GRACE));
        if (!output.value(GuestTag.STATUS).orElse("?").equals("0")) {
            throw Failures.of(module, command, Failures.Action.UNLOAD, output);
        }
        return new Timed(command, output, Duration.ofNanos(System.nanoTime() - start)).operation(module);
    }

    /** Writes {@code value} to a patch attribute after a {@code % echo ...} marker. */
    Timed write(String patch, String attribute, String value, Failures.Action action) {
        long start = System.nanoTime();
        String path = SYSFS + "/" + patch + "/" + attribute;
        String command = "echo " + value + " > " + path;
        ScriptOutput output = scripts.call(
                "lpt_write", arg("file", scripts.root() + path), arg("value", value), arg("marker", "% " + command));
        if (output.has(GuestTag.ABSENT)) {
            throw new LivepatchException(
                    patch,
                    command,
                    "the patch is not in " + SYSFS + ": it was disabled or replaced (and freed), or never loaded",
                    null,
                    KernelLog.empty());
        }
        if (!output.value(GuestTag.STATUS).orElse("?").equals("0")) {
            throw Failures.of(patch, command, action, output);
        }
        return new Timed(command, output, Duration.ofNanos(System.nanoTime() - start));
    }

    @Override
    public Operation write(String path, String value) {
        long start = System.nanoTime();
        String command = "echo " + value + " > " + path;
        ScriptOutput output = scripts.call(
                "lpt_write", arg("file", scripts.root() + path), arg("value", value), arg("marker", "% " + command));
        if (output.has(GuestTag.ABSENT)) {
            throw new LivepatchException(
                    path, command, "the guest has no such file (is its module loaded?)", null, KernelLog.empty());
        }
        if (!output.value(GuestTag.STATUS).orElse("?").equals("0")) {
            throw Failures.of(path, command, Failures.Action.WRITE_FILE, output);
        }
        return new Timed(command, output, Duration.ofNanos(System.nanoTime() - start)).operation(path);
    }

    @Override
    public Operation awaitRefcount(String module, int count, Duration timeout) {
        long start = System.nanoTime();
        String awaited = "the reference count of module " + module + " to read " + count;
        ScriptOutput output = scripts.call(
                timeout.plus(Settings.SSH_TIMEOUT.get()),
                "lpt_await_refcnt",
                arg("module", module),
                arg("count", Integer.toString(count)),
                arg("limit", timeout),
                arg("interval", POLL_INTERVAL));
        String seen = output.value(GuestTag.SEEN).orElse("nothing");
        if (!output.value(GuestTag.STATUS).orElse("?").equals("0")) {
            throw new LivepatchException(
                    module,
                    "wait for " + awaited,
                    "it did not within " + timeout.toMillis() + " ms; last seen: "
                            + (seen.equals("gone") ? "the module is not loaded" : "refcnt " + seen),
                    null,
                    KernelLog.empty());
        }
        return new Operation(
                module, "wait for " + awaited, Duration.ofNanos(System.nanoTime() - start), KernelLog.empty());
    }

    @Override
    public PatchStack stack() {
        return SysfsSnapshot.parse(scripts.call("lpt_dump")).stack();
    }

    Optional<PatchState> state(String patch) {
        return SysfsSnapshot.parse(scripts.call("lpt_dump", arg("patch", patch)))
                .stack()
                .find(patch);
    }

    @Override
    public List<Blocker> blockers() {
        return BlockerReport.parse(scripts.call("lpt_blockers"));
    }

    @Override
    public Taint taint() {
        String value =
                scripts.call("lpt_taint").value(GuestTag.TAINT).orElse("").strip();
        try {
            return new Taint(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new LivepatchException(
                    "the kernel",
                    "read /proc/sys/kernel/tainted",
                    "unexpected value '" + value + "'",
                    null,
                    KernelLog.empty());
        }
    }

    @Override
    public OptionalInt refcount(String module) {
        return scripts.call("lpt_refcnt", arg("module", module))
                .value(GuestTag.REFCNT)
                .map(value -> OptionalInt.of(Integer.parseInt(value.strip())))
                .orElse(OptionalInt.empty());
    }

    @Override
    public KernelLog kernelLog() {
        return KernelLogParser.parse(scripts.call("dmesg").lines());
    }

    @Override
    public String sysfsDump() {
        String dump = String.join("\n", scripts.call("lpt_sysfs").lines());
        return scripts.root().isEmpty() ? dump : dump.replace(scripts.root() + SYSFS, SYSFS);
    }

    @Override
    public String read(String path) {
        ExecResult result =
                scripts.shell().exec("cat " + ShellQuoting.quote(scripts.root() + path), Settings.SSH_TIMEOUT.get());
        if (!result.succeeded()) {
            throw new LivepatchException(
                    path,
                    "cat " + path,
                    result.outputTail(5),
                    Failures.errno(result.stderr()).orElse(null),
                    KernelLog.empty());
        }
        return result.stdout();
    }

    @Override
    public Livepatches traceTaskSwitching(boolean enabled) {
        scripts.traceTasks(enabled);
        scripts.call("lpt_dynamic_debug");
        return this;
    }

    /** A finished script with the command it ran (without the {@code % }) and how long it took. */
    @Override
    public List<TransitionTimeline> transitions() {
        return List.copyOf(transitions);
    }

    /** Remembers a transition one of this object's patches awaited. */
    TransitionTimeline record(TransitionTimeline timeline) {
        transitions.add(timeline);
        return timeline;
    }

    record Timed(String command, ScriptOutput output, Duration duration) {
        Operation operation(String subject) {
            return new Operation(subject, command, duration, output.kernelLog());
        }

        /** The patch's state when the operation returned, when the guest reported it. */
        Optional<String> after() {
            return output.value(GuestTag.AFTER);
        }
    }
}
