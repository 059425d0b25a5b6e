package dev.livepatch.testkit.builder;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.container.ContainerKbuildRunner;
import dev.livepatch.testkit.container.ToolchainImage;
import dev.livepatch.testkit.kbuild.KbuildModuleBuilder;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.kbuild.NativeKbuildRunner;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.progress.Progress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code auto} backend: per kernel, this host when it has the kernel's compiler and runs its kbuild programs
 * (the fastest), otherwise a container when the container backend is ready or can be made ready here (an engine
 * answers, and the toolchain image exists or can be built); it says which, and why.
 */
final class AutoModuleBuilder implements ModuleBuilder {
    private final ToolchainImage images;
    private final NativeKbuildRunner nativeRunner;
    private final ContainerKbuildRunner containerRunner;
    private final Cache cache;
    private final Progress progress;
    private final int jobs;
    private final Map<String, ModuleBuilder> chosen = new ConcurrentHashMap<>();

    AutoModuleBuilder(
            ToolchainImage images,
            NativeKbuildRunner nativeRunner,
            ContainerKbuildRunner containerRunner,
            Cache cache,
            Progress progress,
            int jobs) {
        this.images = images;
        this.nativeRunner = nativeRunner;
        this.containerRunner = containerRunner;
        this.cache = cache;
        this.progress = progress;
        this.jobs = jobs;
    }

    @Override
    public String backend() {
        return "auto";
    }

    @Override
    public List<BuiltModule> build(Kernel kernel, List<PatchSource> sources) {
        return builderFor(kernel).build(kernel, sources);
    }

    /** The builder for the kernel, chosen (and announced) once. */
    ModuleBuilder builderFor(Kernel kernel) {
        return chosen.computeIfAbsent(kernel.release() + " " + kernel.buildDir(), key -> choose(kernel));
    }

    private ModuleBuilder choose(Kernel kernel) {
        Optional<String> nativeProblem = nativeRunner.problem(kernel);
        if (nativeProblem.isEmpty()) {
            progress.note("Building modules for " + kernel.release() + " on this host (--builder auto: it has the"
                    + " kernel's compiler, "
                    + KernelCompiler.parse(kernel.compiler()).program() + ")");
            return new KbuildModuleBuilder(nativeRunner, cache, progress, jobs);
        }
        Optional<String> containerProblem = images.problem(kernel);
        if (containerProblem.isEmpty()) {
            progress.note("Building modules for " + kernel.release() + " in a container (--builder auto: "
                    + firstClause(nativeProblem.get()) + ")");
            return new KbuildModuleBuilder(containerRunner, cache, progress, jobs);
        }
        throw new ModuleBuildException("No module builder can build for kernel " + kernel.release() + ".\n- native: "
                + nativeProblem.get() + "\n- container: " + containerProblem.get());
    }

    /** The reason without the advice that follows it, for a one-line note: "gcc-16 is not installed on this host". */
    private static String firstClause(String message) {
        int end = message.indexOf(';');
        String clause = end < 0 ? message : message.substring(0, end);
        return Character.toLowerCase(clause.charAt(0)) + clause.substring(1);
    }
}
