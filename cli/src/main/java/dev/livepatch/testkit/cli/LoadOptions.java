package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.stall.ModuleArgument;
import dev.livepatch.testkit.stall.Workload;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** What runs in the guest before and beside the patch, the same for {@code stall} and {@code check}. */
final class LoadOptions {
    @Option(
            names = "--with",
            paramLabel = "MODULE[:PARAM=VALUE,...]",
            description = "A plain module loaded before the patch: a patches/ name, a module the kernel ships (e.g."
                    + " binfmt_misc) or a .ko file (repeatable).")
    List<String> fixtures = new ArrayList<>();

    @Option(
            names = "--workload",
            paramLabel = "NAME|COMMAND",
            description = "Load kept running in the guest from before the patch on: cpu, fork, sleep, io, net, or any"
                    + " shell command (repeatable).")
    List<String> workloads = new ArrayList<>();

    List<ModuleArgument> fixtureArguments() {
        return fixtures.stream().map(ModuleArgument::parse).toList();
    }

    List<Workload> workloadList() {
        return workloads.stream().map(Workload::of).toList();
    }
}
