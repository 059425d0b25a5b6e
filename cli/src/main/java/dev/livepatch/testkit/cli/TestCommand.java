package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Property;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.gate.TransitionStalledException;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.report.ReportFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "test",
        description = "Run test suites against real guests (all by default), print a live summary, write JUnit XML.")
final class TestCommand implements Callable<Integer> {
    @Parameters(paramLabel = "SUITE", description = "Suite tags, e.g. atomic-replace, selftests, smp.")
    List<String> suites = new ArrayList<>();

    @Option(
            names = "--reports",
            paramLabel = "DIR",
            description = "Where JUnit XML, results.ktap and results.json go (default: test-results).")
    Path reports;

    @Option(
            names = "--shard",
            paramLabel = "INDEX/COUNT",
            description = "Run one deterministic slice of the test classes, e.g. 2/4 (default: all).")
    String shard;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    /** Each kernel's reports go in a folder of their own. */
    @Mixin
    KernelListOption kernelList = new KernelListOption();

    @Mixin
    ArchListOption archList = new ArchListOption();

    @Option(
            names = {"-j", "--parallel"},
            paramLabel = "N",
            description = "Run N test classes at once, each on its own guest (default: livepatch.parallel, or as"
                    + " many as this host's cores and memory carry: under TCG a guest counts its CPUs plus one core,"
                    + " under KVM its CPUs).")
    Integer parallel;

    @Spec
    CommandSpec spec;

    /** The package whose suites run, when not livepatch.suites.package (check's built-in suite). */
    String suitesPackage;

    /** Settings for the tests beyond the options. */
    final Map<Property<?>, String> settings = new LinkedHashMap<>();

    /** How many kernels of --kernels run at once, each in a process of its own (check's -j). */
    int kernelsAtOnce = 1;

    @Override
    public Integer call() {
        if (!archList.arches.isEmpty() && kernelOptions.arch != null) {
            throw new ParameterException(
                    spec.commandLine(), "--arch and --arches both name the architecture: give one of them.");
        }
        Path dir = reports != null ? reports : Settings.PROJECT_DIR.get().resolve("test-results");
        Shard slice = shard == null ? Shard.ALL : Shard.parse(shard);
        requireKnownSuites(runner(dir));
        if (archList.isMatrix(kernelList)) {
            List<KernelTarget> targets = archList.targets(kernelList, kernelOptions);
            if (targets.size() > 1 && kernelsAtOnce > 1) {
                return new KernelsSideBySide(kernelsAtOnce, suitesPackage, settings, System.out)
                        .run(targets, suites, dir);
            }
            return acrossKernels(targets, dir, slice);
        }
        SuiteRunner runner = withSettings(runner(dir));
        Optional<KernelSpec> kernel = kernelOptions.chosen();
        if (kernel.isPresent()) {
            runner = runner.onKernel(kernel.get(), dir);
        }
        SuiteRunner.Result result = runner.run(suites, slice);
        if (result.classes().isEmpty() && !result.allClasses().isEmpty()) {
            System.out.println("Shard " + shard + " has no test class: "
                    + result.allClasses().size() + " classes are dealt out over " + slice.count() + " shards.");
            return 0;
        }
        return report(result.summary(), dir, suites);
    }

    /** A plain tag that no test class carries is a typo, not an empty run; tag expressions are left to JUnit. */
    private void requireKnownSuites(SuiteRunner runner) {
        List<String> plainTags =
                suites.stream().filter(tag -> !tag.matches(".*[&|!() ].*")).toList();
        if (plainTags.isEmpty()) {
            return;
        }
        Set<String> known = runner.suiteTags();
        List<String> unknown =
                plainTags.stream().filter(tag -> !known.contains(tag)).toList();
        if (!unknown.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    (unknown.size() == 1 ? "Unknown suite '" + unknown.get(0) + "'" : "Unknown suites " + unknown)
                            + ". The suites are: " + String.join(", ", known) + ".");
        }
    }

    private int acrossKernels(List<KernelTarget> targets, Path dir, Shard slice) {
        KernelMatrix matrix = new KernelMatrix();
        Map<String, Path> pages = new LinkedHashMap<>();
        int status = 0;
        for (KernelTarget target : targets) {
            String label = target.label();
            Path kernelDir = dir.resolve(ReportFiles.folderName(label));
            pages.put(label, dir.relativize(kernelDir.resolve("report.html")));
            System.out.println("== " + label + " (reports in " + kernelDir + ")");
            SuiteRunner runner = withSettings(runner(kernelDir));
            if (target.arch().isPresent()) {
                runner = runner.withSetting(Settings.ARCH, target.arch().get().name());
            }
            SuiteRunner.Result result =
                    runner.onKernel(target.kernel(), kernelDir).run(suites, slice);
            matrix.add(label, result.bySuite());
            status = Math.max(status, report(result.summary(), kernelDir, suites));
        }
        System.out.println();
        System.out.print(matrix.render());
        ReportFiles.write(dir.resolve("report.html"), matrix.html(pages));
        System.out.println("The kernels' HTML reports: " + dir.resolve("report.html"));
        return Math.max(status, matrix.anyFailed() ? 1 : 0);
    }

    private SuiteRunner runner(Path dir) {
        return new SuiteRunner(System.out, dir, suitesPackage != null ? suitesPackage : Settings.SUITES_PACKAGE.get());
    }

    private SuiteRunner withSettings(SuiteRunner runner) {
        SuiteRunner configured =
                parallel == null ? runner : runner.withSetting(Settings.PARALLEL, Integer.toString(parallel));
        if (kernelOptions.arch != null) {
            configured = configured.withSetting(Settings.ARCH, kernelOptions.arch.name());
        }
        for (Map.Entry<Property<?>, String> setting : settings.entrySet()) {
            configured = configured.withSetting(setting.getKey(), setting.getValue());
        }
        return configured;
    }

    /** The exit status of a run in which a transition stalled, as {@code ./testkit stall} exits. */
    static final int STALLED = StallCommand.STALLED;

    /** Prints the totals; the exit status: 0 all passed, 1 a test failed (or none matched), 3 a transition stalled. */
    static int report(TestExecutionSummary summary, Path dir, List<String> suites) {
        System.out.printf(
                "%d tests: %d passed, %d failed, %d skipped in %.1f s; JUnit XML, KTAP, JSON and report.html in %s%n",
                summary.getTestsFoundCount(),
                summary.getTestsSucceededCount(),
                summary.getTotalFailureCount(),
                summary.getTestsSkippedCount() + summary.getTestsAbortedCount(),
                (summary.getTimeFinished() - summary.getTimeStarted()) / 1000.0,
                dir);
        if (summary.getTestsFoundCount() == 0 && summary.getTotalFailureCount() == 0) {
            System.err.println("No tests matched " + (suites.isEmpty() ? "any suite" : String.join(", ", suites)));
            return 1;
        }
        if (summary.getFailures().stream()
                .anyMatch(failure -> failure.getException() instanceof TransitionStalledException)) {
            return STALLED;
        }
        return summary.getTotalFailureCount() == 0 ? 0 : 1;
    }
}
