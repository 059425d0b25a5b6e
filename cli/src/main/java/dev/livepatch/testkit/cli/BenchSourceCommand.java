package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.bench.SourceBenchmark;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "source",
        description = "On fresh copies of a Debian suite's kernel source: the first build of plain x86_64_defconfig"
                + " against the toolkit's trimmed default, one function edited then rebuilt and booted, and"
                + " klp-build of a one-function diff; one sample each.")
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

    @Mixin
    MachineOptions machineOptions = new MachineOptions();

    @Override
    public Integer call() throws IOException {
        SourceBenchmark.Figures figures = SourceBenchmark.run(
                suite,
                Settings.inProject(Settings.PROJECT_DIR.get(), diff),
                machineOptions.machine(),
                Progress.console());
        System.out.println(figures.tree() + ", kernel " + figures.release() + ", make -j"
                + Settings.SOURCE_BUILD_JOBS.get() + ":");
        System.out.printf(
                Locale.ROOT,
                "  first build, x86_64_defconfig + livepatch-guest.config:           %s%n",
                Durations.format(figures.plainBuild()));
        System.out.printf(
                Locale.ROOT,
                "  first build, default configuration (+ trim.config):                %s  %.2fx the plain build%n",
                Durations.format(figures.defaultBuild()),
                figures.defaultAgainstPlain());
        System.out.printf(
                Locale.ROOT,
                "  one function edited: rebuild, install, boot to a working SSH command: %s%n",
                Durations.format(figures.rebuildAndBoot()));
        System.out.printf(
                Locale.ROOT,
                "  klp-build of %s on the recorded original build:            %s%n",
                diff.getFileName(),
                Durations.format(figures.klpBuild()));
        return 0;
    }
}
