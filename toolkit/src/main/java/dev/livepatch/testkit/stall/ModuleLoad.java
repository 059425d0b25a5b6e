package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.livepatch.ShellWords;
import dev.livepatch.testkit.module.KernelModule;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A module to load with its parameters, e.g. {@code lpt_busy} with {@code block_transition=1}.
 *
 * @param module the {@code .ko} file and its modinfo
 * @param parameters module parameters, passed to {@code insmod} in name order
 */
@API(status = INTERNAL, since = "0.1")
public record ModuleLoad(KernelModule module, Map<String, String> parameters) {

    public ModuleLoad {
        parameters = Map.copyOf(parameters);
    }

    public String name() {
        return module.name();
    }

    /** The parameters as the command line writes them: {@code a=1,b=2}, empty when there are none. */
    public String parameterText() {
        return String.join(",", ShellWords.parameters(parameters));
    }

    /** e.g. {@code lpt_busy (block_transition=1)}. */
    public String describe() {
        return parameters.isEmpty() ? name() : name() + " (" + parameterText().replace(',', ' ') + ")";
    }
}
