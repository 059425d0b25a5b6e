package dev.livepatch.testkit.cli;

import picocli.CommandLine.Option;

/** {@code --runs}: how many samples a benchmark takes of each measurement. */
final class RunsOption {
    @Option(names = "--runs", description = "Samples per measurement (default: 5).")
    int runs = 5;
}
