package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.livepatch.TransitionTimelineJson;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.report.HtmlReport;
import dev.livepatch.testkit.report.ReportFiles;
import dev.livepatch.testkit.stall.Ending;
import dev.livepatch.testkit.stall.GuestSetup;
import dev.livepatch.testkit.stall.ModuleArgument;
import dev.livepatch.testkit.stall.ModuleLoad;
import dev.livepatch.testkit.stall.ReproducerBundle;
import dev.livepatch.testkit.stall.StallExplanation;
import dev.livepatch.testkit.stall.StallModules;
import dev.livepatch.testkit.stall.StallReport;
import dev.livepatch.testkit.stall.StallReproduction;
import dev.livepatch.testkit.stall.StallScenario;
import dev.livepatch.testkit.stall.Workload;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.GuestPlan;
import dev.livepatch.testkit.vm.Guests;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "stall",
        description = "Reproduce a stalled livepatch transition and explain it: which task blocks, in which"
                + " function, with its stack. Exits 0 when the transition finishes within the wait, 3 when it"
                + " stalls (then writes a reproducer bundle).")
final class StallCommand implements Callable<Integer> {
    static final int STALLED = 3;

    @Mixin
    GuestOptions guestOptions = new GuestOptions();

    @Mixin
    BuildOptions buildOptions = new BuildOptions();

    @Mixin
    LoadOptions load = new LoadOptions();

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long the patching transition may take before it counts as stalled (default: 5s).")
    Duration wait;

    @Option(
            names = "--then",
            paramLabel = "reverse|force",
            description = "How to end a stalled transition: ${COMPLETION-CANDIDATES} (default: reverse).")
    Ending then = Ending.REVERSE;

    @Option(
            names = "--bundle",
            paramLabel = "DIR",
            description = "Where to write the reproducer bundle (default: stall-reports/<patch>-<time>).")
    Path bundle;

    @Option(names = "--no-bundle", description = "Do not write a reproducer bundle.")
    boolean noBundle;

    @Parameters(
            paramLabel = "PATCH[:PARAM=VALUE,...]",
            arity = "1",
            description = "The livepatch: a patches/ name or a .ko file.")
    String patch;

    @Override
    public Integer call() {
        Progress progress = Progress.console();
        Duration limit = wait == null ? Duration.ofSeconds(5) : wait;
        GuestPlan.Prepared prepared = guestOptions.prepare(progress);
        StallScenario scenario = StallModules.scenario(
                load.fixtureArguments(),
                load.workloadList().stream().map(Workload::command).toList(),
                ModuleArgument.parse(patch),
                limit,
                then,
                names -> buildOptions.resolve(prepared.kernel(), names, progress));
        System.out.println("Loading "
                + scenario.fixtures().stream()
                        .map(ModuleLoad::describe)
                        .map(text -> text + ", then ")
                        .collect(Collectors.joining())
                + scenario.patch().describe() + "; its patching transition may take " + limit.toMillis() + " ms.");
        try (Guest guest = Guests.start(prepared.kernel(), prepared.image(), prepared.machine(), progress)) {
            StallReport report = new StallReproduction(guest.shell()).run(scenario);
            System.out.print(StallExplanation.of(report));
            if (!report.stalled()) {
                return 0;
            }
            if (!noBundle) {
                Path written = ReproducerBundle.write(bundleFolder(scenario), report, setup(prepared, guest));
                ReportFiles.write(
                        written.resolve("report.html"),
                        page(report, prepared.kernel().release()));
                System.out.println(
                        "Reproducer bundle: " + written + " (run it again with " + written.resolve("reproduce") + ")");
            }
            return STALLED;
        }
    }

    /** The bundle's page: what the console printed, the transitions drawn, the kernel log and sysfs at hand. */
    private static String page(StallReport report, String release) {
        Map<String, String> artefacts = new LinkedHashMap<>();
        artefacts.put("kernel log", report.kernelLog().text());
        artefacts.put("livepatch sysfs", report.sysfs());
        return HtmlReport.stallPage(
                "Stalled transition of " + report.scenario().patch().module().name() + " on " + release,
                StallExplanation.of(report),
                report.transitions().stream().map(TransitionTimelineJson::of).toList(),
                artefacts);
    }

    private Path bundleFolder(StallScenario scenario) {
        if (bundle != null) {
            return bundle;
        }
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        return Settings.PROJECT_DIR
                .get()
                .resolve("stall-reports")
                .resolve(scenario.patch().name() + "-" + time);
    }

    private GuestSetup setup(GuestPlan.Prepared prepared, Guest guest) {
        Kernel kernel = prepared.kernel();
        return new GuestSetup(
                guestOptions.kernelOptions.pinning(kernel),
                kernel.release() + " (" + kernel.source() + ")",
                prepared.image().name(),
                prepared.machine().cpus(),
                prepared.machine().memoryMib(),
                guest.accelerator().name().toLowerCase(Locale.ROOT));
    }
}
