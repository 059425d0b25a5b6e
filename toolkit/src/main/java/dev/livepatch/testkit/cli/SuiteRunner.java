package dev.livepatch.testkit.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/** Runs the suites in {@code dev.livepatch.testkit.suites} through the JUnit Platform launcher. */
final class SuiteRunner {
    static final String SUITES_PACKAGE = "dev.livepatch.testkit.suites";

    private final PrintStream out;
    private final Path reportsDir;

    SuiteRunner(PrintStream out, Path reportsDir) {
        this.out = out;
        this.reportsDir = reportsDir;
    }

    /** Runs the suites carrying any of the given tags (all suites when empty); returns the summary. */
    TestExecutionSummary run(List<String> suites) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectPackage(SUITES_PACKAGE))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false");
        if (!suites.isEmpty()) {
            request.filters(TagFilter.includeTags(suites));
        }
        LauncherDiscoveryRequest discovery = request.build();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        PrintWriter xmlLog = new PrintWriter(System.err, true);
        try (LauncherSession session = LauncherFactory.openSession()) {
            session.getLauncher()
                    .execute(
                            discovery,
                            summary,
                            new LiveSummaryListener(out),
                            new LegacyXmlReportGeneratingListener(reportsDir, xmlLog));
        }
        return summary.getSummary();
    }
}
