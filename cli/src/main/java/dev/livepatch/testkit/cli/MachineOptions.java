package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.vm.Machine;
import picocli.CommandLine.Option;

/** The virtual hardware of the guests a command boots: CPUs and memory. */
final class MachineOptions {
    @Option(names = "--cpus", description = "Virtual CPUs (default: 1).")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "MIB", description = "Guest memory in MiB (default: 512).")
    Integer memory;

    Machine machine() {
        return new Machine(
                cpus != null ? cpus : Settings.CPUS.get(), memory != null ? memory : Settings.MEMORY_MIB.get());
    }
}
