package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.SameCases;
import dev.livepatch.testkit.bench.SelftestsBenchmark;
import dev.livepatch.testkit.bench.SuiteRun;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.report.TestOutcome;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The suites a benchmark runs, run as {@code ./testkit test} runs them; their reports go to a temporary folder,
 * removed on close (after the benchmark, so that no clock counts it).
 */
final class LauncherSuites implements SelftestsBenchmark.Suites, AutoCloseable {
    private final PrintStream out;
    private final Path reports;

    LauncherSuites(PrintStream out) throws IOException {
        this.out = out;
        this.reports = Files.createTempDirectory("lpt-bench-selftests-");
    }

    @Override
    public SuiteRun run(KernelSpec kernel, String suite, Optional<SameCases.Selection> only) throws IOException {
        Path dir = Files.createTempDirectory(reports, suite + "-");
        SuiteRunner all = new SuiteRunner(out, dir).onKernel(kernel, dir);
        SuiteRunner runner =
                only.map(selection -> all.onlyTests(filter(selection))).orElse(all);
        SuiteRunner.Result result = runner.run(List.of(suite), Shard.ALL);
        TestExecutionSummary summary = result.summary();
        return new SuiteRun(
                cases(result.outcomes()),
                summary.getTestsFoundCount(),
                summary.getTestsSucceededCount(),
                summary.getTestsSkippedCount() + summary.getTestsAbortedCount(),
                summary.getTotalFailureCount(),
                runner.parallel());
    }

    /**
     * The selected tests, and every test whose name is known only once it runs (invocations of a template), so that
     * the toolkit runs what the scripts ran.
     */
    static PostDiscoveryFilter filter(SameCases.Selection selection) {
        return descriptor -> {
            if (!descriptor.isTest() || !(descriptor.getSource().orElse(null) instanceof MethodSource method)) {
                return FilterResult.included("not a single test");
            }
            String simpleName =
                    method.getClassName().substring(method.getClassName().lastIndexOf('.') + 1);
            return FilterResult.includedIf(
                    selection.includes(simpleName, descriptor.getDisplayName()),
                    () -> "the kernel's scripts ran this case",
                    () -> "the kernel's scripts did not run this case");
        };
    }

    private static List<SuiteRun.Case> cases(List<SuiteOutcome> outcomes) {
        return outcomes.stream()
                .flatMap(suite -> suite.tests().stream()
                        .map(test -> new SuiteRun.Case(
                                suite.name(),
                                test.name(),
                                test.status() == TestOutcome.Status.PASSED,
                                test.duration())))
                .toList();
    }

    @Override
    public void close() throws IOException {
        Folders.deleteRecursively(reports);
    }
}
