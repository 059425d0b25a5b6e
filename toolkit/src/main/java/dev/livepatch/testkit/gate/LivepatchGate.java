package dev.livepatch.testkit.gate;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.PatchStack;
import dev.livepatch.testkit.livepatch.PatchState;
import dev.livepatch.testkit.livepatch.Taint;
import dev.livepatch.testkit.livepatch.TaintFlag;
import dev.livepatch.testkit.module.KernelModule;
import dev.livepatch.testkit.module.ModuleChecks;
import dev.livepatch.testkit.module.ShippedModules;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.source.SourceKernels;
import dev.livepatch.testkit.stall.Ending;
import dev.livepatch.testkit.stall.GuestSetup;
import dev.livepatch.testkit.stall.ModuleLoad;
import dev.livepatch.testkit.stall.ReproducerBundle;
import dev.livepatch.testkit.stall.StallExplanation;
import dev.livepatch.testkit.stall.StallReport;
import dev.livepatch.testkit.stall.StallReproduction;
import dev.livepatch.testkit.stall.StallScenario;
import dev.livepatch.testkit.stall.Workload;
import dev.livepatch.testkit.vm.Guest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * What a distribution's livepatch pipeline proves for a new livepatch on one kernel, as a list of steps: it builds;
 * its check fails without it; the deployed patch it upgrades loads; under load it loads and its transition
 * completes (or the stall is explained and bundled); its check passes; the upgrade replaced (or stacked on) the old
 * patch as the kernel promises; the kernel log stays clean and the taint is the livepatch's own; it disables under
 * load and its module goes; and it loads once more. Each step is a test of its own ({@link #tests()}); once one fails,
 * the later ones are skipped with the reason. {@code ./testkit check} runs the same steps.
 */
@API(status = STABLE, since = "0.2")
public final class LivepatchGate {
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    /** The taint a livepatch may leave: K, and O and E for an out-of-tree, unsigned module. */
    private static final Set<TaintFlag> EXPECTED_TAINT =
            EnumSet.of(TaintFlag.LIVEPATCH, TaintFlag.OOT_MODULE, TaintFlag.UNSIGNED_MODULE);

    private final GateOptions options;
    private final Guest guest;
    private final Kernel kernel;
    private final GuestImage image;
    private final Livepatches livepatches;

    private ModuleLoad patch;
    private List<ModuleLoad> fixtures = List.of();
    private final Map<Path, KernelModule> builtFolders = new HashMap<>();
    private Optional<ModuleLoad> previous = Optional.empty();
    private Optional<PatchState> previousState = Optional.empty();
    private String failedStep;

    private LivepatchGate(GateOptions options, Guest guest, Kernel kernel, GuestImage image) {
        this.options = options;
        this.guest = guest;
        this.kernel = kernel;
        this.image = image;
        this.livepatches = Livepatches.on(guest.shell());
    }

    /** The gate for {@code options} on a guest fresh from its boot snapshot, running {@code kernel} and {@code image}. */
    public static LivepatchGate of(GateOptions options, Guest guest, Kernel kernel, GuestImage image) {
        return new LivepatchGate(options, guest, kernel, image);
    }

    /** The steps as JUnit dynamic tests, in order: return them from a {@code @TestFactory}. */
    public Stream<DynamicTest> tests() {
        return steps().stream().map(step -> DynamicTest.dynamicTest(step.name(), () -> run(step)));
    }

    /** The steps in order, each run by {@link #run}. */
    public List<GateStep> steps() {
        String name = options.patch().source().path().getFileName().toString();
        List<GateStep> steps = new ArrayList<>();
        steps.add(new GateStep("builds " + name + " for " + kernel.release(), this::build));
        for (String check : options.checks()) {
            steps.add(new GateStep("the check fails without the patch: " + check, () -> expectCheck(check, false)));
        }
        options.previous()
                .ifPresent(previous -> steps.add(new GateStep(
                        "the deployed patch " + previous.source().path().getFileName()
                                + " loads and its transition completes",
                        this::loadPrevious)));
        steps.add(new GateStep(
                (fixtures().isEmpty() ? "" : "after " + fixtures() + ", ")
                        + (options.workloads().isEmpty() ? "" : "under load (" + workloadNames() + "), ") + name
                        + " loads and its transition completes within "
                        + Durations.format(options.transitionTimeout()),
                this::loadPatch));
        for (String check : options.checks()) {
            steps.add(new GateStep("the check passes with the patch: " + check, () -> expectCheck(check, true)));
        }
        if (options.previous().isPresent()) {
            steps.add(new GateStep("the upgrade from the deployed patch is what the kernel promises", this::upgrade));
        }
        steps.add(new GateStep(
                "the kernel log since the load is clean and the taint is the livepatch's own", this::cleanKernel));
        steps.add(new GateStep(
                "disabled" + (options.workloads().isEmpty() ? "" : " under load")
                        + ", its transition completes, the checks fail again and its module is removed",
                this::disable));
        steps.add(new GateStep("it loads once more and works", this::loadAgain));
        return steps;
    }

    /** Runs a step, unless an earlier one failed: then it is skipped, saying which. */
    public void run(GateStep step) {
        if (failedStep != null) {
            throw new TestAbortedException("not run: an earlier step failed (" + failedStep + ")");
        }
        try {
            step.body().run();
        } catch (RuntimeException | AssertionError e) {
            failedStep = step.name();
            throw e;
        }
    }

    private void build() {
        buildFolders();
        patch = load(options.patch());
        ModuleChecks.requireLivepatch(patch.module());
        previous = options.previous().map(this::load);
        previous.ifPresent(load -> ModuleChecks.requireLivepatch(load.module()));
        fixtures = options.fixtures().stream().map(this::load).toList();
        fixtures.forEach(fixture -> ModuleChecks.requirePlainModule(fixture.module()));
    }

    /** The module source folders among the patch, the previous patch and the fixtures, built in one kbuild run. */
    private void buildFolders() {
        List<PatchSource> sources = Stream.concat(
                        Stream.concat(Stream.of(options.patch()), options.previous().stream()),
                        options.fixtures().stream())
                .map(GateOptions.GateModule::source)
                .filter(GatePatch.ModuleFolder.class::isInstance)
                .map(folder -> folder.path().toAbsolutePath().normalize())
                .distinct()
                .flatMap(folder ->
                        PatchSources.select(
                                folder.getParent(), List.of(folder.getFileName().toString()))
                                .stream())
                .toList();
        if (!sources.isEmpty()) {
            ModuleBuilders.standard(progress())
                    .build(kernel, sources)
                    .forEach(built -> builtFolders.put(
                            built.source().directory().toAbsolutePath().normalize(), built.module()));
        }
    }

    private ModuleLoad load(GateOptions.GateModule module) {
        return new ModuleLoad(moduleOf(module.source()), module.parameters());
    }

    private KernelModule moduleOf(GatePatch patch) {
        if (patch instanceof GatePatch.ModuleFile file) {
            KernelModule built = KernelModule.read(file.path().toAbsolutePath());
            ModuleChecks.requireBuiltFor(built, kernel);
            return built;
        }
        if (patch instanceof GatePatch.ShippedModule shipped) {
            return new ShippedModules(kernel, Cache.standard()).find(shipped.name());
        }
        if (patch instanceof GatePatch.SourceDiff diff) {
            return SourceKernels.fromDiff(
                            kernel, diff.path().toAbsolutePath(), DiffOptions.defaults(), Cache.standard(), progress())
                    .module();
        }
        return builtFolders.get(patch.path().toAbsolutePath().normalize());
    }

    private void expectCheck(String check, boolean passes) {
        ExecResult result = guest.shell().exec(check, COMMAND_TIMEOUT);
        if (result.succeeded() != passes) {
            throw new AssertionFailedError("The check '" + check + "' "
                    + (passes
                            ? "fails with the patch (exit status " + result.exitCode() + ")"
                            : "already passes without the patch: it proves nothing about the patch")
                    + ". Its output:\n" + output(result));
        }
    }

    private void loadPrevious() {
        ModuleLoad deployed = previous.orElseThrow();
        livepatches.load(deployed.module().path(), deployed.parameters()).awaitTransition(options.transitionTimeout());
        previousState = livepatches.stack().find(deployed.module().name());
    }

    /** Loads the patch as {@code ./testkit stall} does, so that a stall is explained and bundled the same way. */
    private void loadPatch() {
        StallScenario scenario = new StallScenario(
                fixtures,
                options.workloads().stream().map(Workload::command).toList(),
                patch,
                options.transitionTimeout(),
                Ending.REVERSE);
        StallReport report = new StallReproduction(guest.shell()).run(scenario);
        if (report.stalled()) {
            Path bundle = ReproducerBundle.write(bundleFolder(), report, setup());
            throw new TransitionStalledException(
                    StallExplanation.of(report) + "Reproducer bundle: " + bundle + " (run it again with "
                            + bundle.resolve("reproduce") + ")",
                    bundle);
        }
    }

    private void upgrade() {
        PatchState previous = previousState.orElseThrow();
        PatchStack stack = livepatches.stack();
        PatchState current = stack.find(patch.module().name())
                .orElseThrow(
                        () -> new AssertionFailedError(patch.module().name() + " is not in /sys/kernel/livepatch"));
        boolean replaces = current.replace().orElse(!stack.contains(previous.name()));
        if (!replaces) {
            List<String> names = stack.names();
            if (names.indexOf(previous.name()) < 0
                    || names.indexOf(previous.name())
                            > names.indexOf(patch.module().name())) {
                throw new AssertionFailedError(
                        "Without atomic replace, " + patch.module().name() + " should stack on " + previous.name()
                                + ", but the stack is " + names);
            }
            return;
        }
        if (stack.contains(previous.name())) {
            throw new AssertionFailedError(patch.module().name() + " is an atomic-replace patch, but " + previous.name()
                    + " is still in /sys/kernel/livepatch: " + stack.names());
        }
        livepatches.awaitRefcount(previous.name(), 0, options.transitionTimeout());
        livepatches.unloadModule(previous.name());
        List<String> reverted = new ArrayList<>();
        previous.objects()
                .forEach(object -> object.functions().forEach(function -> {
                    if (current.object(object.name())
                            .filter(now -> now.patches(function.name()))
                            .isEmpty()) {
                        reverted.add(object.name() + ":" + function.name());
                        stack.owner(object.name(), function.name()).ifPresent(owner -> {
                            throw new AssertionFailedError(function.name() + " (in " + object.name() + "), which only "
                                    + previous.name() + " changed, is still patched, by " + owner.name());
                        });
                    }
                }));
        System.out.println(previous.name() + " changed " + functions(previous) + "; "
                + patch.module().name() + " changes " + functions(current)
                + (reverted.isEmpty() ? "" : "; back to the original: " + reverted));
    }

    private void cleanKernel() {
        KernelLog log = livepatches
                .kernelLog()
                .since("% insmod " + patch.module().path().getFileName());
        List<String> trouble = log.troubleLines();
        if (!trouble.isEmpty()) {
            throw new AssertionFailedError(
                    "The kernel log since the load has " + trouble.size() + " line(s) of trouble:\n"
                            + String.join("\n", trouble) + "\n--- the kernel log since the load ---\n" + log.text());
        }
        Taint taint = livepatches.taint();
        Set<TaintFlag> unexpected = EnumSet.noneOf(TaintFlag.class);
        unexpected.addAll(taint.flags());
        unexpected.removeAll(EXPECTED_TAINT);
        if (!unexpected.isEmpty()
                || !taint.has(TaintFlag.LIVEPATCH)
                || !taint.unknownBits().isEmpty()) {
            throw new AssertionFailedError("The kernel's taint should be K (and O, E for an out-of-tree, unsigned"
                    + " module) and nothing else, but it is " + taint.describe());
        }
    }

    private void disable() {
        Patch loaded = livepatches.patch(patch.module().name());
        loaded.disable();
        loaded.awaitTransition(options.transitionTimeout());
        for (String check : options.checks()) {
            expectCheck(check, false);
        }
        livepatches.awaitRefcount(loaded.module(), 0, options.transitionTimeout());
        loaded.unload();
    }

    private void loadAgain() {
        livepatches.load(patch.module().path(), patch.parameters()).awaitTransition(options.transitionTimeout());
        for (String check : options.checks()) {
            expectCheck(check, true);
        }
    }

    private Path bundleFolder() {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return options.bundles().resolve(patch.module().name() + "-" + kernel.release() + "-" + time);
    }

    private GuestSetup setup() {
        KernelSpec spec = KernelSpec.naming(kernel);
        return new GuestSetup(
                List.of(spec instanceof KernelSpec.BuildTree ? "--kernel-dir" : "--kernel", spec.toString()),
                kernel.release() + " (" + kernel.source() + ")",
                image.name(),
                guest.machine().cpus(),
                guest.machine().memoryMib(),
                guest.accelerator().name().toLowerCase(Locale.ROOT));
    }

    private String fixtures() {
        return String.join(
                ", ",
                options.fixtures().stream()
                        .map(fixture -> fixture.source().path().getFileName().toString())
                        .toList());
    }

    private String workloadNames() {
        return String.join(
                ", ", options.workloads().stream().map(Workload::name).toList());
    }

    private static List<String> functions(PatchState state) {
        return state.objects().stream()
                .flatMap(object -> object.functions().stream().map(function -> object.name() + ":" + function.name()))
                .toList();
    }

    private static String output(ExecResult result) {
        String out = result.stdout().strip();
        String err = result.stderr().strip();
        return (out.isEmpty() ? "(no output)" : out) + (err.isEmpty() ? "" : "\n(stderr) " + err);
    }

    private static Progress progress() {
        return Progress.console();
    }
}
