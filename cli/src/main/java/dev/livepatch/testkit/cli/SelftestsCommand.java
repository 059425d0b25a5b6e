package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The kernel's own livepatch selftests of a kernel: its suite run through the same path as every other suite. */
@Command(
        name = "selftests",
        description = "Run the kernel's own livepatch selftests of that kernel's version, unchanged: scripts and"
                + " test modules from its Debian source, each case reported in JUnit XML, KTAP and JSON.")
final class SelftestsCommand implements Callable<Integer> {
    static final String SUITE = "kernel-selftests";

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    KernelListOption kernelList = new KernelListOption();

    @Mixin
    ArchListOption archList = new ArchListOption();

    @Spec
    CommandSpec spec;

    @Option(
            names = "--reports",
            paramLabel = "DIR",
            description = "Where JUnit XML, results.ktap and results.json go (default: test-results).")
    Path reports;

    @Option(
            names = "--selftests",
            paramLabel = "TREE",
            description = "A Linux source tree whose tools/testing/selftests/livepatch to run instead of those of"
                    + " Debian's source of the kernel (setting livepatch.selftests.source).")
    Path sourceTree;

    @Override
    public Integer call() {
        TestCommand test = new TestCommand();
        if (sourceTree != null) {
            test.settings.put(
                    Settings.SELFTESTS_SOURCE, sourceTree.toAbsolutePath().toString());
        }
        test.suites = List.of(SUITE);
        test.kernelOptions = kernelOptions;
        test.kernelList = kernelList;
        test.archList = archList;
        test.spec = spec;
        test.reports = reports;
        return test.call();
    }
}
