package dev.livepatch.testkit.builder;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.container.ContainerKbuildRunner;
import dev.livepatch.testkit.container.ToolchainImage;
import dev.livepatch.testkit.kbuild.KbuildModuleBuilder;
import dev.livepatch.testkit.kbuild.NativeKbuildRunner;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.util.Locale;
import org.apiguardian.api.API;

/** Makes {@link ModuleBuilder}s by backend: {@code native}, {@code container}, or {@code auto}. */
@API(status = INTERNAL, since = "0.1")
public final class ModuleBuilders {
    private ModuleBuilders() {}

    /** The builder the settings ask for ({@code livepatch.builder}), caching in the standard cache. */
    public static ModuleBuilder standard(Progress progress) {
        return create(Settings.BUILDER.get(), Cache.standard(), progress);
    }

    /**
     * A builder for {@code backend}: {@code native} runs kbuild on this host, {@code container} in a throwaway
     * container, {@code auto} picks per kernel the one that works (see {@link AutoModuleBuilder}).
     */
    public static ModuleBuilder create(String backend, Cache cache, Progress progress) {
        switch (backend.strip().toLowerCase(Locale.ROOT)) {
            case "native":
                return new KbuildModuleBuilder(nativeRunner(), cache, progress, jobs());
            case "container":
                return new KbuildModuleBuilder(new ContainerKbuildRunner(progress), cache, progress, jobs());
            case "auto":
                return new AutoModuleBuilder(
                        ToolchainImage.standard(progress),
                        nativeRunner(),
                        new ContainerKbuildRunner(progress),
                        cache,
                        progress,
                        jobs());
            default:
                throw new ModuleBuildException("Unknown builder '" + backend + "'; use native, container or auto ("
                        + Settings.BUILDER.name() + ").");
        }
    }

    private static NativeKbuildRunner nativeRunner() {
        return new NativeKbuildRunner(ProcessRunner.create(), Settings.BUILD_TIMEOUT.get());
    }

    private static int jobs() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }
}
