package dev.livepatch.testkit.gate;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.stall.ModuleArgument;
import dev.livepatch.testkit.stall.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * What a gate checks.
 *
 * @param patch the livepatch under test, with its module parameters
 * @param previous the livepatch already deployed, which {@code patch} upgrades (replaces or stacks on)
 * @param fixtures plain modules loaded before the patch (e.g. one that parks a task in a function the patch changes)
 * @param checks shell commands that must fail before the patch and pass with it (in the guest, with {@code sh})
 * @param workloads load kept running while the patch goes in and out
 * @param transitionTimeout how long a transition may take before it counts as stalled
 * @param bundles where a stalled transition's reproducer bundle goes (a folder per stall)
 */
@API(status = STABLE, since = "0.2")
public record GateOptions(
        GateModule patch,
        Optional<GateModule> previous,
        List<GateModule> fixtures,
        List<String> checks,
        List<Workload> workloads,
        Duration transitionTimeout,
        Path bundles) {

    /**
     * A module the gate loads, written {@code MODULE[:PARAM=VALUE,...]} on the command line.
     *
     * @param source its sources, built file or diff
     * @param parameters its module parameters, in order (e.g. {@code replace=1})
     */
    public record GateModule(GatePatch source, Map<String, String> parameters) {
        public GateModule {
            parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        }

        /** A module loaded without parameters. */
        public static GateModule of(GatePatch source) {
            return new GateModule(source, Map.of());
        }

        /**
         * {@code MODULE[:PARAM=VALUE,...]}: a path to a folder, {@code .ko} or diff; for a fixture, a bare name is a
         * folder of the patches folder or, when there is none, a module the kernel ships.
         */
        public static GateModule parse(String text, boolean bareNameInPatches) {
            ModuleArgument argument = ModuleArgument.parse(text);
            if (bareNameInPatches && !argument.isFile()) {
                Path folder = Settings.inProject(Settings.PROJECT_DIR.get(), Settings.PATCHES_DIR.get())
                        .resolve(argument.reference());
                return new GateModule(
                        Files.isDirectory(folder)
                                ? GatePatch.of(folder)
                                : new GatePatch.ShippedModule(argument.reference()),
                        argument.parameters());
            }
            return new GateModule(GatePatch.of(inProject(argument.reference())), argument.parameters());
        }
    }

    public GateOptions {
        fixtures = List.copyOf(fixtures);
        checks = List.copyOf(checks);
        workloads = List.copyOf(workloads);
        if (transitionTimeout.isNegative() || transitionTimeout.isZero()) {
            throw new GateException("The transition timeout must be positive, not " + transitionTimeout + ".");
        }
    }

    /**
     * The gate the settings describe ({@code livepatch.check.*} and {@code livepatch.transition.timeout}), as
     * {@code ./testkit check} passes them to its run; relative paths start from the project folder.
     */
    public static GateOptions fromSettings() {
        String patch = Settings.CHECK_PATCH.get();
        if (patch.isBlank()) {
            throw new GateException(
                    "No livepatch to check: set " + Settings.CHECK_PATCH.name() + " (./testkit check" + " PATCH).");
        }
        String previous = Settings.CHECK_PREVIOUS.get();
        return new GateOptions(
                GateModule.parse(patch, false),
                previous.isBlank() ? Optional.empty() : Optional.of(GateModule.parse(previous, false)),
                lines(Settings.CHECK_FIXTURES.get()).stream()
                        .map(line -> GateModule.parse(line, true))
                        .toList(),
                lines(Settings.CHECK_COMMANDS.get()),
                lines(Settings.CHECK_WORKLOADS.get()).stream().map(Workload::of).toList(),
                Settings.TRANSITION_TIMEOUT.get(),
                Settings.inProject(Settings.PROJECT_DIR.get(), Settings.CHECK_BUNDLES.get()));
    }

    private static Path inProject(String path) {
        return Settings.inProject(Settings.PROJECT_DIR.get(), Path.of(path));
    }

    private static List<String> lines(String text) {
        return text.lines().filter(line -> !line.isBlank()).toList();
    }
}
