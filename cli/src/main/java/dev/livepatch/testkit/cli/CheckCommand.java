package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.cli.check.CheckSuite;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.gate.GateOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "check",
        description = "Gate a livepatch change on each kernel: it builds, its check fails without it and passes with"
                + " it, it loads under load (a stall is explained and bundled), it upgrades the deployed patch, the"
                + " kernel log stays clean, it disables and unloads, and it loads once more. Each step is a test in"
                + " the reports. Exits 0 when all pass, 1 when one fails, 3 when a transition stalled.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(
            paramLabel = "PATCH[:PARAM=VALUE,...]",
            arity = "1",
            description = "The livepatch: a module source folder (as in patches/), a built .ko, or a source diff"
                    + " (.patch/.diff, built with the klp-build of a source: kernel); module parameters after ':'.")
    String patch;

    @Option(
            names = "--previous",
            paramLabel = "PATCH[:PARAM=VALUE,...]",
            description = "The deployed livepatch this one upgrades (any kind PATCH is): loaded first; the upgrade"
                    + " is checked (atomic replace, or the stack order).")
    String previous;

    @Mixin
    LoadOptions load = new LoadOptions();

    @Option(
            names = "--check",
            paramLabel = "COMMAND",
            description = "A shell command run in the guest that fails without the patch and passes with it"
                    + " (repeatable).")
    List<String> checks = new ArrayList<>();

    @Option(
            names = "--check-script",
            paramLabel = "FILE",
            description = "A shell script used as a check, like --check (repeatable).")
    List<Path> checkScripts = new ArrayList<>();

    @Option(
            names = "--transition-timeout",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long a transition may take before it counts as stalled (default: 30s).")
    Duration transitionTimeout = Duration.ofSeconds(30);

    @Option(
            names = "--bundles",
            paramLabel = "DIR",
            description = "Where a stalled transition's reproducer bundle goes (default: stall-reports).")
    Path bundles;

    @Option(
            names = "--reports",
            paramLabel = "DIR",
            description = "Where JUnit XML, results.ktap, results.json and report.html go (default: test-results).")
    Path reports;

    @Option(
            names = {"-j", "--parallel"},
            paramLabel = "N",
            description = "With --kernels, check N kernels at once, each in a process and on a guest of its own, its"
                    + " lines prefixed with its kernel (default: 1, one after the other).")
    int kernelsAtOnce = 1;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    KernelListOption kernelList = new KernelListOption();

    @Mixin
    ArchListOption archList = new ArchListOption();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path project = Settings.PROJECT_DIR.get();
        // Bad input is refused here, before any guest starts, with the same words the gate would use.
        GateOptions.GateModule.parse(patch, false);
        if (previous != null) {
            GateOptions.GateModule.parse(previous, false);
        }
        load.fixtures.forEach(fixture -> GateOptions.GateModule.parse(fixture, true));
        List<String> allChecks = new ArrayList<>(checks);
        checkScripts.forEach(script -> allChecks.add(read(Settings.inProject(project, script))));
        TestCommand test = new TestCommand();
        test.suitesPackage = CheckSuite.class.getPackageName();
        test.suites = List.of(CheckSuite.TAG);
        test.kernelOptions = kernelOptions;
        test.kernelList = kernelList;
        test.archList = archList;
        test.spec = spec;
        test.reports = reports;
        test.kernelsAtOnce = kernelsAtOnce;
        test.settings.put(Settings.CHECK_PATCH, patch);
        if (previous != null) {
            test.settings.put(Settings.CHECK_PREVIOUS, previous);
        }
        test.settings.put(Settings.CHECK_FIXTURES, String.join("\n", load.fixtures));
        test.settings.put(Settings.CHECK_COMMANDS, String.join("\n", allChecks));
        test.settings.put(Settings.CHECK_WORKLOADS, String.join("\n", load.workloads));
        test.settings.put(Settings.TRANSITION_TIMEOUT, transitionTimeout.toString());
        if (bundles != null) {
            test.settings.put(Settings.CHECK_BUNDLES, bundles.toAbsolutePath().toString());
        }
        return test.call();
    }

    private static String read(Path script) {
        try {
            return Files.readString(script, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TestkitException("Could not read the check script " + script, e);
        }
    }
}
