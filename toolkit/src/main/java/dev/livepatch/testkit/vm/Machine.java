package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.config.Settings;
import org.apiguardian.api.API;

/** The virtual hardware of a guest. */
@API(status = STABLE, since = "0.1")
public record Machine(int cpus, int memoryMib) {
    public Machine {
        if (cpus < 1 || memoryMib < 128) {
            throw new IllegalArgumentException(
                    "A guest needs at least 1 CPU and 128 MiB (got " + cpus + " CPUs, " + memoryMib + " MiB)");
        }
    }

    public static Machine defaults() {
        return new Machine(Settings.CPUS.get(), Settings.MEMORY_MIB.get());
    }

    public Machine withCpus(int count) {
        return new Machine(count, memoryMib);
    }
}
