package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.module.KernelModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * The modules a stall scenario loads, named as {@link ModuleArgument}s: the project's patches built together in one
 * kbuild run, the kernel's own modules by name, {@code .ko} files read as they are.
 */
@API(status = INTERNAL, since = "0.2")
public final class StallModules {
    private StallModules() {}

    /**
     * The scenario of these modules and workloads.
     *
     * @param resolve the named modules for the guest's kernel, by name: the project's patches built in one run, the
     *     kernel's own modules for names that are not patches
     */
    public static StallScenario scenario(
            List<ModuleArgument> fixtures,
            List<String> workloads,
            ModuleArgument patch,
            Duration limit,
            Ending ending,
            Function<List<String>, Map<String, KernelModule>> resolve) {
        List<ModuleArgument> all = new ArrayList<>(fixtures);
        all.add(patch);
        Map<String, KernelModule> modules = modules(all, resolve);
        return new StallScenario(
                fixtures.stream().map(argument -> load(argument, modules)).toList(),
                workloads,
                load(patch, modules),
                limit,
                ending);
    }

    private static Map<String, KernelModule> modules(
            List<ModuleArgument> all, Function<List<String>, Map<String, KernelModule>> resolve) {
        List<String> names = all.stream()
                .filter(argument -> !argument.isFile())
                .map(ModuleArgument::reference)
                .distinct()
                .toList();
        Map<String, KernelModule> modules = new HashMap<>();
        if (!names.isEmpty()) {
            modules.putAll(resolve.apply(names));
        }
        for (ModuleArgument argument : all) {
            if (argument.isFile()) {
                Path ko = Path.of(argument.reference()).toAbsolutePath();
                if (!Files.isRegularFile(ko)) {
                    throw new IllegalArgumentException("The module file " + ko + " does not exist.");
                }
                modules.put(argument.reference(), KernelModule.read(ko));
            }
        }
        return modules;
    }

    private static ModuleLoad load(ModuleArgument argument, Map<String, KernelModule> modules) {
        return new ModuleLoad(modules.get(argument.reference()), argument.parameters());
    }
}
