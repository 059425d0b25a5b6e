package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "run",
        description = "The main job, from nothing: build the sample patches, boot the default guest and run the"
                + " atomic-replace suite.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    BuildOptions buildOptions = new BuildOptions();

    @Override
    public Integer call() {
        Progress progress = Progress.console();
        Kernel kernel = kernelOptions.resolve(progress);
        List<BuiltModule> modules = buildOptions.build(kernel, List.of(), progress);
        System.out.println("Built " + modules.size() + " modules for " + kernel.release() + " ("
                + modules.stream().filter(BuiltModule::fromCache).count() + " from the cache)");
        Path reports = Settings.PROJECT_DIR.get().resolve("test-results");
        // The kernel as resolved here, so that the suite does not look it up again.
        TestExecutionSummary summary = new SuiteRunner(System.out, reports)
                .onKernel(kernelOptions.spec().pinned(kernel), reports)
                .withSetting(Settings.BUILDER, buildOptions.backend())
                .run(List.of("atomic-replace"));
        return TestCommand.report(summary, reports, List.of("atomic-replace"));
    }
}
