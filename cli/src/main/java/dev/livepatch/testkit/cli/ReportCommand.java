package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.report.ReportFiles;
import dev.livepatch.testkit.report.ReportMerge;
import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.report.TestOutcome;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "report",
        description = "Work on the reports of earlier runs: 'report merge'.",
        subcommands = ReportCommand.Merge.class)
final class ReportCommand {

    @Command(
            name = "merge",
            description = "Merge the report folders of several jobs (shards of a CI matrix, runs on other machines)"
                    + " into one set: JUnit XML, KTAP, JSON and HTML, one folder per kernel with the kernel x suite"
                    + " table when there are several. Exits 1 when a merged test failed.")
    static final class Merge implements Callable<Integer> {
        @Option(names = "--reports", paramLabel = "OUT", required = true, description = "Where the merged reports go.")
        Path out;

        @Parameters(paramLabel = "DIR", arity = "1..*", description = "The report folders of ./testkit test runs.")
        List<Path> folders;

        @Override
        public Integer call() {
            List<ReportMerge.Merged> merged = ReportMerge.merge(folders, out);
            KernelMatrix matrix = new KernelMatrix();
            Map<String, Path> pages = new LinkedHashMap<>();
            boolean failed = false;
            for (ReportMerge.Merged run : merged) {
                String kernel = run.kernel().orElse("(no kernel named)");
                long tests = run.suites().stream()
                        .mapToLong(suite -> suite.tests().size())
                        .sum();
                System.out.printf(
                        "%s: %d tests: %d passed, %d failed, %d skipped, from %d classes; in %s%n",
                        kernel,
                        tests,
                        count(run.suites(), TestOutcome.Status.PASSED),
                        count(run.suites(), TestOutcome.Status.FAILED),
                        count(run.suites(), TestOutcome.Status.SKIPPED)
                                + count(run.suites(), TestOutcome.Status.ABORTED),
                        run.suites().size(),
                        run.folder());
                failed |= count(run.suites(), TestOutcome.Status.FAILED) > 0;
                matrix.add(kernel, TagTally.bySuite(run.suites()));
                pages.put(kernel, out.relativize(run.folder().resolve("report.html")));
            }
            if (merged.size() > 1) {
                System.out.println();
                System.out.print(matrix.render());
                ReportFiles.write(out.resolve("report.html"), matrix.html(pages));
            }
            return failed ? 1 : 0;
        }

        private static long count(List<SuiteOutcome> suites, TestOutcome.Status status) {
            return suites.stream().mapToLong(suite -> suite.count(status)).sum();
        }
    }
}
