package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;

/** The virtual hardware of a guest. */
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
