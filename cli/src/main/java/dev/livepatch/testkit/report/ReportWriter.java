package dev.livepatch.testkit.report;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/** Writes a finished run's outcomes in one format. */
public interface ReportWriter {
    void write(List<SuiteOutcome> suites);

    /** A report of one file, whose whole text {@code render} makes from the outcomes. */
    static ReportWriter file(Path file, Function<List<SuiteOutcome>, String> render) {
        return suites -> ReportFiles.write(file, render.apply(suites));
    }
}
