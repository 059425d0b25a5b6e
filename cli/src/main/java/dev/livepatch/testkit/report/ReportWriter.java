package dev.livepatch.testkit.report;

import java.util.List;

/** Writes a finished run's outcomes in one format. */
public interface ReportWriter {
    void write(List<SuiteOutcome> suites);
}
