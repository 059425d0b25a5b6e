package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.source.ArchSupport;
import dev.livepatch.testkit.source.SourceKernels;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "build",
        description = "Build modules from patches/ (all by default) and list them with their modinfo; with --from-diff,"
                + " build a livepatch from a source diff with the klp-build of the --kernel source:<tree>.")
final class BuildCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Mixin
    BuildOptions buildOptions = new BuildOptions();

    @Parameters(paramLabel = "PATCH", description = "Module names (folders of patches/).")
    List<String> patches = new ArrayList<>();

    @Option(
            names = "--from-diff",
            paramLabel = "DIFF",
            description =
                    "A source diff (patch -p1) to turn into a livepatch with the tree's own klp-build (Linux 6.19+).")
    Path diff;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description = "With --from-diff: the patch name, giving livepatch-NAME.ko (default: the diff's file name).")
    String name;

    @Option(
            names = "--no-replace",
            description = "With --from-diff: stack on the patches before it instead of atomically replacing them.")
    boolean noReplace;

    @Override
    public Integer call() {
        Progress progress = Progress.console();
        if (diff == null && (name != null || noReplace)) {
            throw new ParameterException(spec.commandLine(), "--name and --no-replace go with --from-diff <diff>");
        }
        if (diff != null && !patches.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--from-diff builds one livepatch from a diff; give no" + " patch names with it");
        }
        if (diff != null) {
            ArchSupport.requireKlpBuild(kernelOptions.arch());
        }
        Kernel kernel = kernelOptions.resolve(progress);
        List<BuiltModule> modules = diff == null
                ? buildOptions.build(kernel, patches, progress)
                : List.of(SourceKernels.fromDiff(kernel, diff, diffOptions(), Cache.standard(), progress));
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

    private DiffOptions diffOptions() {
        DiffOptions options = DiffOptions.defaults();
        if (name != null) {
            options = options.named(name);
        }
        return noReplace ? options.noReplace() : options;
    }
}
