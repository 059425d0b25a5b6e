package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.report.JsonResults;
import dev.livepatch.testkit.report.TestOutcome;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Times {@code ./testkit check} as a user runs it, whole processes started from the project's launcher: a module
 * folder on a packaged kernel, warm (its build and the boot snapshot cached by a first, untimed run), and a
 * one-function diff on a built source tree, a new diff each run so that klp-build really runs. The steps' own times
 * come from each run's {@code results.json}.
 */
@Command(
        name = "check",
        description = "Whole ./testkit check processes: a warm check of a module folder on a packaged kernel (what is"
                + " not its steps is the toolkit's overhead), and a check of a new one-function diff on a built"
                + " source tree (what is not klp-build is the toolkit's overhead); medians.")
final class BenchCheckCommand implements Callable<Integer> {
    private static final Duration RUN_LIMIT = Duration.ofHours(2);
    private static final String MODULE_CHECK = "grep -q 'live patched' /proc/cmdline";
    private static final String DIFF_LINE = "klp_static_data: this version has been live patched";

    @Option(
            names = "--kernel",
            paramLabel = "SPEC",
            description = "The packaged kernel the module folder is checked on (default: debian).")
    String kernel = "debian";

    @Option(
            names = "--source-kernel",
            paramLabel = "SPEC",
            description = "The source tree the diff is checked on; 'none' leaves the diff out"
                    + " (default: source:debian:sid).")
    String sourceKernel = "source:debian:sid";

    @Option(
            names = "--module",
            paramLabel = "FOLDER",
            description =
                    "The module folder checked (default: patches/lpt_cmdline, checked with \"" + MODULE_CHECK + "\").")
    Path module = Path.of("patches", "lpt_cmdline");

    @Mixin
    RunsOption runsOption = new RunsOption();

    /** One whole {@code ./testkit check} process. */
    private record Run(Duration whole, List<TestOutcome> steps) {
        Duration stepsButBuild() {
            return steps.stream()
                    .filter(step -> !isBuild(step))
                    .map(TestOutcome::duration)
                    .reduce(Duration.ZERO, Duration::plus);
        }

        Duration build() {
            return steps.stream()
                    .filter(Run::isBuild)
                    .map(TestOutcome::duration)
                    .findFirst()
                    .orElseThrow(() -> new TestkitException("The check's results have no build step"));
        }

        private static boolean isBuild(TestOutcome step) {
            return step.name().startsWith("gate › builds ");
        }
    }

    @Override
    public Integer call() throws IOException {
        Path project = Settings.PROJECT_DIR.get().toAbsolutePath();
        Path launcher = project.resolve("testkit");
        if (!Files.isExecutable(launcher)) {
            throw new TestkitException("bench check times the project's launcher, and " + launcher + " is not there:"
                    + " run it from the livepatch-testkit project folder.");
        }
        Path scratch = Files.createTempDirectory("lpt-bench-check-");
        try {
            int runs = runsOption.runs;
            List<String> moduleCheck = List.of(
                    "check",
                    Settings.inProject(project, module).toString(),
                    "--kernel",
                    kernel,
                    "--check",
                    MODULE_CHECK);
            System.out.println("Warming up: " + String.join(" ", moduleCheck) + " (untimed)");
            check(launcher, scratch, moduleCheck);
            List<Run> moduleRuns = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                moduleRuns.add(check(launcher, scratch, moduleCheck));
            }
            print(
                    "warm check of " + module + " on " + kernel + " ("
                            + moduleRuns.get(0).steps().size() + " steps)",
                    "its steps but the build",
                    moduleRuns,
                    Run::stepsButBuild,
                    Duration.ofSeconds(30),
                    Duration.ofSeconds(10));
            if (!sourceKernel.equals("none")) {
                Path sample = Settings.inProject(project, Path.of("diffs", "static-data.patch"));
                String text = Files.readString(sample);
                if (!text.contains(DIFF_LINE)) {
                    throw new TestkitException(sample + " has no '" + DIFF_LINE + "' to vary between runs");
                }
                System.out.println("Warming up: the tree of " + sourceKernel + " built, and a first diff (untimed)");
                check(launcher, scratch, diffCheck(scratch, text, "warm-up"));
                List<Run> diffRuns = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    diffRuns.add(check(
                            launcher,
                            scratch,
                            diffCheck(scratch, text, UUID.randomUUID().toString())));
                }
                print(
                        "check of a new one-function diff (static-data.patch, varied) on " + sourceKernel,
                        "klp-build",
                        diffRuns,
                        Run::build,
                        null,
                        Duration.ofSeconds(30));
            }
            return 0;
        } finally {
            Folders.deleteRecursively(scratch);
        }
    }

    private List<String> diffCheck(Path scratch, String sample, String marker) throws IOException {
        String line = "klp_static_data: " + marker;
        Path diff = Files.writeString(
                Files.createDirectories(scratch.resolve(marker)).resolve("static-data.patch"),
                sample.replace(DIFF_LINE, line));
        return List.of(
                "check", diff.toString(), "--kernel", sourceKernel, "--check", "grep -q '" + line + "' /proc/version");
    }

    private static Run check(Path launcher, Path scratch, List<String> arguments) throws IOException {
        Path reports = Files.createTempDirectory(scratch, "reports-");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(arguments);
        command.addAll(List.of("--reports", reports.toString()));
        ExecResult result =
                ProcessRunner.create().inDirectory(launcher.getParent()).exec(command, RUN_LIMIT);
        if (!result.succeeded()) {
            throw new TestkitException("'" + String.join(" ", command) + "' failed (exit status " + result.exitCode()
                    + "), so it cannot be timed:\n" + result.outputTail(30));
        }
        List<TestOutcome> steps = JsonResults.read(reports.resolve("results.json")).suites().stream()
                .flatMap(suite -> suite.tests().stream())
                .toList();
        System.out.println("  " + Durations.format(result.duration()) + ": " + String.join(" ", arguments));
        return new Run(result.duration(), steps);
    }

    /**
     * Prints the median whole process, the median of what is measured apart ({@code part}: the steps, or klp-build)
     * and of the rest, each against its target ({@code null}: none).
     */
    private static void print(
            String what,
            String part,
            List<Run> runs,
            Function<Run, Duration> measuredApart,
            Duration wholeTarget,
            Duration restTarget) {
        List<Duration> whole = runs.stream().map(Run::whole).toList();
        List<Duration> parts = runs.stream().map(measuredApart).toList();
        List<Duration> rest = runs.stream()
                .map(run -> run.whole().minus(measuredApart.apply(run)))
                .toList();
        System.out.println(what + ", " + runs.size() + " runs, medians:");
        System.out.printf(
                Locale.ROOT,
                "  whole process:       %9s%s%n",
                Durations.format(Durations.median(whole)),
                wholeTarget == null ? "" : "  (target " + Durations.format(wholeTarget) + ")");
        System.out.printf(Locale.ROOT, "  %-20s %9s%n", part + ":", Durations.format(Durations.median(parts)));
        System.out.printf(
                Locale.ROOT,
                "  the rest:            %9s  (target %s)%n",
                Durations.format(Durations.median(rest)),
                Durations.format(restTarget));
    }
}
