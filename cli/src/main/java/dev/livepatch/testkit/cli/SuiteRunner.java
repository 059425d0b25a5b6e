package dev.livepatch.testkit.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import dev.livepatch.testkit.config.Property;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.report.HtmlReport;
import dev.livepatch.testkit.report.JsonReport;
import dev.livepatch.testkit.report.KtapReport;
import dev.livepatch.testkit.report.OutcomeCollector;
import dev.livepatch.testkit.report.ReportWriter;
import dev.livepatch.testkit.report.SuiteOutcome;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestTag;
import org.junit.platform.engine.discovery.ClassNameFilter;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.PostDiscoveryFilter;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs the suites (the test classes in {@code livepatch.suites.package}) through the JUnit Platform launcher, writing JUnit XML
 * (one file per class), KTAP and JSON reports.
 */
final class SuiteRunner {
    private final PrintStream out;
    private final Path reportsDir;
    private final String suitesPackage;
    private final Optional<KernelSpec> kernel;
    private final Map<String, String> settings;
    private final List<PostDiscoveryFilter> testFilters;

    SuiteRunner(PrintStream out, Path reportsDir) {
        this(out, reportsDir, Settings.SUITES_PACKAGE.get(), Optional.empty(), Map.of(), List.of());
    }

    SuiteRunner(PrintStream out, Path reportsDir, String suitesPackage) {
        this(out, reportsDir, suitesPackage, Optional.empty(), Map.of(), List.of());
    }

    /**
     * @param kernel the kernel spec the guests run ({@code livepatch.kernel}), named in the reports; empty for the
     *     configured one
     * @param settings settings for this run, handed to the tests as JUnit configuration parameters
     * @param testFilters which tests of the selected classes run (all when empty)
     */
    private SuiteRunner(
            PrintStream out,
            Path reportsDir,
            String suitesPackage,
            Optional<KernelSpec> kernel,
            Map<String, String> settings,
            List<PostDiscoveryFilter> testFilters) {
        this.out = out;
        this.reportsDir = reportsDir;
        this.suitesPackage = suitesPackage;
        this.kernel = kernel;
        this.settings = Map.copyOf(settings);
        this.testFilters = List.copyOf(testFilters);
    }

    /** The same runner for guests on {@code kernelSpec}, reporting into {@code dir}. */
    SuiteRunner onKernel(KernelSpec kernelSpec, Path dir) {
        return new SuiteRunner(out, dir, suitesPackage, Optional.of(kernelSpec), settings, testFilters);
    }

    /** The same runner with one more setting for the tests, such as {@code livepatch.builder}. */
    <T> SuiteRunner withSetting(Property<T> property, String value) {
        Map<String, String> more = new HashMap<>(settings);
        more.put(property.name(), property.parse(value).toString());
        return new SuiteRunner(out, reportsDir, suitesPackage, kernel, more, testFilters);
    }

    /** The same runner, running only the tests that {@code filter} includes. */
    SuiteRunner onlyTests(PostDiscoveryFilter filter) {
        List<PostDiscoveryFilter> more = new ArrayList<>(testFilters);
        more.add(filter);
        return new SuiteRunner(out, reportsDir, suitesPackage, kernel, settings, more);
    }

    /**
     * What a run covered.
     *
     * @param summary the JUnit Platform's counts and failures
     * @param classes the test classes this run (or shard) ran
     * @param allClasses the test classes of every shard together
     * @param bySuite each suite tag's counts
     * @param outcomes each test class's tests with their status and time, as the reports have them
     */
    record Result(
            TestExecutionSummary summary,
            List<String> classes,
            List<String> allClasses,
            Map<String, TagTally.Counts> bySuite,
            List<SuiteOutcome> outcomes) {}

    /** The suite tags the test classes carry, sorted; tags that say what a test needs are not suites. */
    SortedSet<String> suiteTags() {
        try (LauncherSession session = LauncherFactory.openSession()) {
            TestPlan plan = session.getLauncher().discover(request(List.of(), List.of(), selectPackage(suitesPackage)));
            SortedSet<String> tags = new TreeSet<>();
            plan.getRoots().stream()
                    .flatMap(root -> plan.getDescendants(root).stream())
                    .flatMap(identifier -> identifier.getTags().stream())
                    .map(TestTag::getName)
                    .filter(tag -> !TagTally.PREREQUISITE_TAGS.contains(tag))
                    .forEach(tags::add);
            return tags;
        }
    }

    /** Runs the suites carrying any of the given tags (all suites when empty). */
    TestExecutionSummary run(List<String> suites) {
        return run(suites, Shard.ALL).summary();
    }

    /** Runs this shard of the suites carrying any of the given tags (all suites when empty). */
    Result run(List<String> suites, Shard shard) {
        try (LauncherSession session = LauncherFactory.openSession()) {
            Launcher launcher = session.getLauncher();
            List<String> all = testClasses(launcher.discover(request(suites, List.of(), selectPackage(suitesPackage))));
            TagTally tally = new TagTally();
            List<String> selected = shard.select(all);
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            if (!shard.isWhole()) {
                out.println("Shard " + shard.index() + "/" + shard.count() + ": " + selected.size() + " of "
                        + all.size() + " test classes");
            }
            // A shard without classes still runs (nothing), so that it reports an empty run like any other.
            LauncherDiscoveryRequest request = selected.isEmpty()
                    ? request(
                            suites,
                            List.of(ClassNameFilter.excludeClassNamePatterns(".*")),
                            selectPackage(suitesPackage))
                    : request(
                            suites,
                            List.of(),
                            selected.stream().map(name -> selectClass(name)).toArray(DiscoverySelector[]::new));
            String suffix = shard.fileSuffix();
            Optional<String> kernelName = kernel.map(KernelSpec::toString);
            List<SuiteOutcome> outcomes = new ArrayList<>();
            launcher.execute(
                    request,
                    summary,
                    new LiveSummaryListener(out),
                    tally,
                    new LegacyXmlReportGeneratingListener(reportsDir, new PrintWriter(System.err, true)),
                    new OutcomeCollector(List.of(
                            ReportWriter.file(
                                    reportsDir.resolve("results" + suffix + ".ktap"),
                                    run -> KtapReport.render(run, kernelName)),
                            ReportWriter.file(
                                    reportsDir.resolve("results" + suffix + ".json"),
                                    run -> JsonReport.render(run, kernelName)),
                            ReportWriter.file(
                                    reportsDir.resolve("report" + suffix + ".html"),
                                    run -> HtmlReport.render(run, kernelName)),
                            outcomes::addAll)));
            return new Result(summary.getSummary(), selected, all, tally.bySuite(), outcomes);
        }
    }

    private LauncherDiscoveryRequest request(
            List<String> suites, List<ClassNameFilter> classFilters, DiscoverySelector... selectors) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectors)
                .filters(classFilters.toArray(ClassNameFilter[]::new))
                .filters(testFilters.toArray(PostDiscoveryFilter[]::new))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false");
        request.configurationParameters(settings);
        int parallel = parallel();
        if (parallel > 1) {
            // Classes run concurrently, each on its own leased guest; a class's tests stay in order on one thread. A
            // pool of plain threads: a blocked test (waiting on its guest) never lends its thread to another class.
            request.configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                    .configurationParameter(
                            "junit.jupiter.execution.parallel.config.executor-service", "WORKER_THREAD_POOL")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.default", "same_thread")
                    .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                    .configurationParameter("junit.jupiter.execution.parallel.config.strategy", "fixed")
                    .configurationParameter(
                            "junit.jupiter.execution.parallel.config.fixed.parallelism", Integer.toString(parallel))
                    .configurationParameter(
                            "junit.jupiter.execution.parallel.config.fixed.max-pool-size", Integer.toString(parallel));
        }
        kernel.ifPresent(spec -> request.configurationParameter(Settings.KERNEL.name(), spec.toString()));
        if (!suites.isEmpty()) {
            request.filters(TagFilter.includeTags(suites));
        }
        return request.build();
    }

    /**
     * -j N, else livepatch.parallel, else what this host carries; on a kernel source tree one class at a time unless
     * told otherwise: klp-build rewrites the tree while it runs, under the module builds of classes beside it.
     */
    int parallel() {
        String chosen = settings.get(Settings.PARALLEL.name());
        if (chosen != null) {
            return Settings.PARALLEL.parse(chosen);
        }
        if (Settings.PARALLEL.raw().isPresent()) {
            return Settings.PARALLEL.get();
        }
        boolean sourceTree = kernel.or(() -> Settings.KERNEL.raw().map(KernelSpec::parse))
                .filter(KernelSpec::isSourceTree)
                .isPresent();
        return sourceTree ? 1 : Guests.defaultParallelism(Machine.defaults());
    }

    private static List<String> testClasses(TestPlan plan) {
        return plan.getRoots().stream()
                .flatMap(root -> plan.getChildren(root).stream())
                .map(TestIdentifier::getSource)
                .flatMap(Optional::stream)
                .filter(ClassSource.class::isInstance)
                .map(source -> ((ClassSource) source).getClassName())
                .toList();
    }
}
