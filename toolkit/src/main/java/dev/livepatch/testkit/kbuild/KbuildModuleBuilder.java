package dev.livepatch.testkit.kbuild;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** The {@link ModuleBuilder}: cache lookups, one staged kbuild run for what is missing, checks; kbuild runs in a {@link KbuildRunner}. */
@API(status = INTERNAL, since = "0.1")
public final class KbuildModuleBuilder implements ModuleBuilder {
    static final String AREA = "modules";
    static final String LOG_FILE = "build.log";
    public static final String INPUTS_FILE = "inputs.txt";

    private final KbuildRunner runner;
    private final Cache cache;
    private final Progress progress;
    private final int jobs;

    public KbuildModuleBuilder(KbuildRunner runner, Cache cache, Progress progress, int jobs) {
        this.runner = runner;
        this.cache = cache.reportingTo(progress);
        this.progress = progress;
        this.jobs = jobs;
    }

    @Override
    public String backend() {
        return runner.name();
    }

    @Override
    public List<BuiltModule> build(Kernel kernel, List<PatchSource> sources) {
        if (sources.isEmpty()) {
            return List.of();
        }
        String compiler = runner.compilerVersion(kernel);
        String kernelBuild = ModuleKey.kernelBuild(kernel.buildDir());
        Map<PatchSource, ModuleKey> keys = new LinkedHashMap<>();
        for (PatchSource source : sources) {
            keys.put(source, ModuleKey.of(source, kernel.release(), kernelBuild, compiler, runner.name()));
        }
        List<PatchSource> missing = missing(sources, keys);
        if (!missing.isEmpty()) {
            try (ModuleLocks locks = ModuleLocks.acquire(cache, kernel, missing, keys)) {
                // Another run may have built some of them while this one waited for their locks.
                missing = missing(missing, keys);
                if (!missing.isEmpty()) {
                    compile(kernel, missing, keys, locks);
                }
            }
        }
        List<PatchSource> built = missing;
        return sources.stream()
                .map(source -> checkedEntry(kernel, source, keys.get(source), !built.contains(source)))
                .toList();
    }

    private BuiltModule checkedEntry(Kernel kernel, PatchSource source, ModuleKey key, boolean fromCache) {
        Path entry = cache.entryPath(AREA, key.value());
        Path ko = entry.resolve(source.name() + ".ko");
        try {
            return new BuiltModule(source, ko, BuiltModuleChecks.check(kernel, source, ko), fromCache);
        } catch (ModuleBuildException e) {
            throw new ModuleBuildException(
                    e.getMessage() + " The cached module is in " + entry
                            + "; remove that folder (or run ./testkit cache clean) to rebuild it.",
                    e);
        }
    }

    private List<PatchSource> missing(List<PatchSource> sources, Map<PatchSource, ModuleKey> keys) {
        return sources.stream()
                .distinct()
                .filter(source -> cache.find(AREA, keys.get(source).value()).isEmpty())
                .toList();
    }

    /**
     * One step for the whole run: kbuild, then each module checked and stored, so that a step shown as done built
     * usable modules. A refused module stays beside the run's log, where its message points.
     */
    private void compile(
            Kernel kernel, List<PatchSource> missing, Map<PatchSource, ModuleKey> keys, ModuleLocks locks) {
        String names = missing.stream().map(PatchSource::name).collect(Collectors.joining(", "));
        BuildLogs.Run run = BuildLogs.in(cache).start();
        try {
            progress.run("Building " + names + " for " + kernel.release() + " (" + runner.name() + " kbuild)", step -> {
                step.update("(log: " + run.log() + ")");
                KbuildProject project = KbuildProject.stage(run.project(), missing);
                ExecResult result = runKbuild(kernel, names, project, run.log());
                String log = readLog(run.log());
                BuildFailures failures = new BuildFailures(kernel, runner.name(), missing, project, run.log());
                if (!result.succeeded()) {
                    throw failures.failed(log, result.exitCode());
                }
                failures.warnings(log).forEach(progress::note);
                for (PatchSource source : missing) {
                    Path built = project.moduleFile(source);
                    if (!Files.isRegularFile(built)) {
                        throw failures.missingModule(source, built, log);
                    }
                    Path kept = run.keep(built);
                    BuiltModuleChecks.check(kernel, source, kept);
                    store(source, keys.get(source), kept, run.log(), locks.of(source));
                    Files.delete(kept);
                }
            });
        } catch (IOException e) {
            throw new ModuleBuildException(
                    "Could not move the modules built for " + names + " out of " + run.folder(), e);
        } finally {
            run.removeProject();
        }
    }

    private ExecResult runKbuild(Kernel kernel, String names, KbuildProject project, Path logFile) {
        try (OutputStream log = Files.newOutputStream(logFile)) {
            log.write(("# kernel " + kernel.release() + " (" + kernel.source() + "), " + runner.name()
                            + " kbuild, modules: " + names + "\n")
                    .getBytes(StandardCharsets.UTF_8));
            return runner.runModules(kernel, project.root(), jobs, log);
        } catch (ProcessFailedException e) {
            throw new ModuleBuildException(
                    "kbuild did not finish for " + names + " against kernel " + kernel.release() + ": " + e.getMessage()
                            + "\nFull log: " + logFile,
                    e);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not write the build log " + logFile, e);
        }
    }

    /** Copies a checked module into its cache entry, with the run's log and the key's inputs. */
    private static void store(PatchSource source, ModuleKey key, Path built, Path logFile, EntryLock lock) {
        lock.write(folder -> {
            Files.copy(built, folder.resolve(source.name() + ".ko"));
            Files.copy(logFile, folder.resolve(LOG_FILE));
            Files.writeString(folder.resolve(INPUTS_FILE), key.describe(), StandardCharsets.UTF_8);
        });
    }

    private static String readLog(Path logFile) {
        try {
            return new String(Files.readAllBytes(logFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read the build log " + logFile, e);
        }
    }
}
