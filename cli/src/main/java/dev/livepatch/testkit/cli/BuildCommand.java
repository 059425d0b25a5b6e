package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.progress.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "build", description = "Build modules from patches/ (all by default) and list them with their modinfo.")
final class BuildCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    BuildOptions buildOptions = new BuildOptions();

    @Parameters(paramLabel = "PATCH", description = "Module names (folders of patches/).")
    List<String> patches = new ArrayList<>();

    @Override
    public Integer call() {
        Progress progress = Progress.console();
        Kernel kernel = kernelOptions.resolve(progress);
        List<BuiltModule> modules = buildOptions.build(kernel, patches, progress);
        for (BuiltModule module : modules) {
            System.out.printf(
                    "%-18s %-9s %-6s %s%n",
                    module.name(),
                    module.source().kind().name().toLowerCase(),
                    module.fromCache() ? "cached" : "built",
                    module.ko());
            System.out.printf(
                    "    vermagic=%s livepatch=%s depends=%s parameters=%s%n",
                    module.modInfo().vermagic().orElse("?"),
                    module.modInfo().livepatch() ? "Y" : "N",
                    String.join(",", module.modInfo().depends()),
                    module.modInfo().parameters().keySet());
        }
        return 0;
    }
}
