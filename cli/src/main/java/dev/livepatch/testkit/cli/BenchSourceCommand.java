package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.SourceBenchmark;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "source",
        description = "On fresh copies of a Debian suite's kernel source, for one architecture: the first build of"
                + " its plain defconfig against the toolkit's trimmed default, one function edited then rebuilt and"
                + " booted, and (on x86_64) klp-build of a one-function diff; one sample each.")
final class BenchSourceCommand implements Callable<Integer> {
    @Option(
            names = "--suite",
            paramLabel = "SUITE",
            description = "The Debian suite whose linux-source is built (default: sid).")
    String suite = "sid";

    @Option(
            names = "--diff",
            paramLabel = "DIFF",
            description = "The one-function diff klp-build turns into a livepatch (default: diffs/cmdline.patch).")
    Path diff = Path.of("diffs", "cmdline.patch");

    @Option(
            names = "--arch",
            paramLabel = "ARCH",
            converter = KernelOptions.ArchConverter.class,
            description =
                    "The architecture built for: " + Arch.NAMES + " (default: livepatch.arch, else this" + " host's).")
    Arch arch;

    @Option(
            names = "--plain-limit",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "How long the plain defconfig's build may run (e.g. 60m); past it, it is stopped and"
                    + " reported as longer than that, the ratio as at most the one printed (default:"
                    + " livepatch.source.build.timeout, 120m).")
    Duration plainLimit;

    @Mixin
    MachineOptions machineOptions = new MachineOptions();

    @Override
    public Integer call() throws IOException {
        Arch target = arch != null ? arch : Settings.ARCH.get();
        SourceBenchmark.Figures figures = SourceBenchmark.run(
                suite,
                target,
                Settings.inProject(Settings.PROJECT_DIR.get(), diff),
                plainLimit == null ? Settings.SOURCE_BUILD_TIMEOUT.get() : plainLimit,
                machineOptions.machine(),
                Progress.console());
        System.out.println(figures.tree() + ", kernel " + figures.release() + " for " + target + ", make -j"
                + Settings.SOURCE_BUILD_JOBS.get() + ":");
        SourceBenchmark.PlainBuild plain = figures.plainBuild();
        System.out.printf(
                Locale.ROOT,
                "  first build, %s + the livepatch guest fragment:           %s%n",
                target.defconfig(),
                plain.finished()
                        ? Durations.format(plain.wall())
                        : "more than " + Durations.format(plain.wall()) + " (stopped at its limit, --plain-limit)");
        System.out.printf(
                Locale.ROOT,
                "  first build, default configuration (+ the trim fragment):          %s  %s%.2fx the plain build%n",
                Durations.format(figures.defaultBuild()),
                plain.finished() ? "" : "less than ",
                figures.defaultAgainstPlain());
        System.out.printf(
                Locale.ROOT,
                "  one function edited: rebuild, install, boot to a working SSH command: %s%n",
                Durations.format(figures.rebuildAndBoot()));
        System.out.printf(
                Locale.ROOT,
                "  klp-build of %s on the recorded original build:            %s%n",
                diff.getFileName(),
                figures.klpBuild().map(Durations::format).orElse("not measured: klp-build supports x86_64 only"));
        return 0;
    }
}
