package dev.livepatch.testkit.cli;

import picocli.CommandLine.Command;

/** {@code bench}: one subcommand per benchmark; without one it is a usage error that lists them. */
@Command(
        name = "bench",
        description = "Measure speed and print medians and ratios.",
        subcommands = {
            BenchBootCommand.class,
            BenchBuildCommand.class,
            BenchCheckCommand.class,
            BenchSelftestsCommand.class,
            BenchSourceCommand.class
        })
final class BenchCommand {}
