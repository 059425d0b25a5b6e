package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.kernel.KernelException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** What the command line answers before it does any work: usage and version, for every command. */
class MainTest {

    static List<String> commands() {
        return Main.commandLine().getSubcommands().keySet().stream()
                .filter(name -> !name.equals("help"))
                .toList();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersHelpWithItsUsageAndExitZero(String command) {
        for (String option : List.of("--help", "-h")) {
            Output output = run(command, option);

            assertThat(output.status()).isZero();
            assertThat(output.out()).startsWith("Usage: testkit " + command).contains("-h, --help");
            assertThat(output.err()).isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("commands")
    void everyCommandAnswersVersion(String command) {
        Output output = run(command, "--version");

        assertThat(output.status()).isZero();
        assertThat(output.out()).startsWith("livepatch-testkit ").contains("\nJava ");
    }

    @Test
    void theLauncherAnswersVersionAndHelp() {
        assertThat(run("--version").out()).startsWith("livepatch-testkit ");
        assertThat(run("--help").out()).startsWith("Usage: testkit").contains("Commands:");
    }

    @Test
    void benchListsItsBenchmarksEachWithItsOwnUsage() {
        assertThat(run("bench", "--help").out())
                .startsWith("Usage: testkit bench")
                .containsPattern("\\n +boot +\\S")
                .containsPattern("\\n +build +\\S")
                .containsPattern("\\n +check +\\S")
                .containsPattern("\\n +selftests +\\S")
                .containsPattern("\\n +source +\\S");
        for (String benchmark : List.of("boot", "build", "check", "selftests", "source")) {
            Output output = run("bench", benchmark, "--help");

            assertThat(output.status()).as(benchmark).isZero();
            assertThat(output.out()).as(benchmark).startsWith("Usage: testkit bench " + benchmark);
        }
    }

    @Test
    void benchWithoutABenchmarkOrWithAnOptionNotItsOwnIsAUsageError() {
        Output none = run("bench");
        assertThat(none.status()).isEqualTo(2);
        assertThat(none.err()).startsWith("Missing required subcommand").contains("Usage: testkit bench");

        Output foreign = run("bench", "source", "--runs", "2");
        assertThat(foreign.status()).isEqualTo(2);
        assertThat(foreign.err()).startsWith("Unknown options: '--runs', '2'");
    }

    @Test
    void anUnknownOptionIsAUsageErrorNamingIt() {
        Output output = run("exec", "--no-such-option", "--", "true");

        assertThat(output.status()).isEqualTo(2);
        assertThat(output.err())
                .startsWith("Unknown option: '--no-such-option'")
                .contains("Usage: testkit exec");
    }

    @Test
    void anIncompleteKernelSpecIsAUsageErrorWithTheGrammarOnEveryCommandThatTakesOne() {
        for (String command : List.of(
                "exec",
                "test",
                "selftests",
                "bench boot",
                "bench build",
                "bench selftests",
                "build",
                "stall",
                "kernel",
                "image")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--kernel", "debian:", "--", "true"));
            Output output = run(args.toArray(String[]::new));

            assertThat(output.status()).as(command).isEqualTo(2);
            assertThat(output.err())
                    .as(command)
                    .startsWith("Invalid value for option '--kernel': Incomplete kernel spec 'debian:'. Use 'debian'");
        }
    }

    @Test
    void anUnknownArchitectureIsAUsageErrorNamingTheKnownOnesOnEveryCommandThatBootsOrBuilds() {
        for (String command : List.of(
                "exec",
                "boot",
                "test",
                "selftests",
                "build",
                "stall",
                "check",
                "run",
                "kernel",
                "image",
                "bench boot",
                "bench build",
                "bench source")) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.addAll(List.of("--arch", "sparc64", "--", "true"));
            Output output = run(args.toArray(String[]::new));

            assertThat(output.status()).as(command).isEqualTo(2);
            assertThat(output.err())
                    .as(command)
                    .startsWith("Invalid value for option '--arch': Unknown architecture 'sparc64': use one of"
                            + " x86_64, arm64, ppc64le, s390x, loongarch64.");
        }
    }

    @Test
    void anUnknownArchitectureInArchesIsAUsageErrorOnEveryCommandThatTakesKernels() {
        for (String command : List.of("test", "selftests", "check")) {
            List<String> args = new ArrayList<>(List.of(command));
            args.addAll(List.of("--arches", "x86_64,sparc64", "--", "true"));
            Output output = run(args.toArray(String[]::new));

            assertThat(output.status()).as(command).isEqualTo(2);
            assertThat(output.err())
                    .as(command)
                    .startsWith("Invalid value for option '--arches' (ARCH,...): Unknown architecture 'sparc64'");
        }
    }

    @Test
    void archBesideArchesIsAUsageError() {
        for (List<String> command : List.of(
                List.of("test", "atomic-replace"), List.of("selftests"), List.of("check", "patches/lpt_cmdline"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--arch", "arm64", "--arches", "x86_64,arm64"));
            Output output = run(args.toArray(String[]::new));

            assertThat(output.status()).as(command.get(0)).isEqualTo(2);
            assertThat(output.err())
                    .as(command.get(0))
                    .startsWith("--arch and --arches both name the architecture: give one of them.")
                    .contains("Usage: testkit " + command.get(0));
        }
    }

    @Test
    void klpBuildForAnotherArchitectureIsRefusedBeforeAnyBuild() {
        Output output =
                run("build", "--arch", "arm64", "--kernel", "source:debian:sid", "--from-diff", "diffs/cmdline.patch");

        assertThat(output.status()).isEqualTo(1);
        assertThat(output.err())
                .startsWith("error: klp-build supports x86_64 only (no other architecture selects HAVE_KLP_BUILD), so"
                        + " a livepatch cannot be made from a source diff for arm64. Write the livepatch as a module"
                        + " folder instead");
    }

    @Test
    void stallEndsOnlyByReversingOrForcingInAnyCase() {
        Output output = run("stall", "--then", "abort", "lpt_callbacks");

        assertThat(output.status()).isEqualTo(2);
        assertThat(output.err())
                .startsWith("Invalid value for option '--then': expected one of [REVERSE, FORCE] (case-insensitive)"
                        + " but was 'abort'");
        assertThat(run("stall", "--help").out()).contains("How to end a stalled transition: REVERSE, FORCE");
    }

    @Test
    void aDurationThatDoesNotParseIsAUsageErrorWithTheFormsThatDo() {
        List<List<String>> commands = List.of(
                List.of("bench", "source", "--plain-limit", "an hour"),
                List.of("stall", "--wait", "5 seconds", "lpt_callbacks"),
                List.of("check", "--transition-timeout", "1h", "patches/lpt_cmdline"));
        for (List<String> command : commands) {
            Output output = run(command.toArray(String[]::new));

            assertThat(output.status()).as("%s", command).isEqualTo(2);
            assertThat(output.err())
                    .as("%s", command)
                    .contains("'" + command.get(command.size() - (command.get(0).equals("bench") ? 1 : 2))
                            + "' is not a duration: write it as 500ms, 30s, 5m or PT1H");
        }
    }

    @Test
    void anErrorOfTheToolkitIsShownAsItsMessageAndAnyOtherWithItsType() {
        assertThat(Main.messageOf(new KernelException("Kernel spec 'x' is unknown.")))
                .isEqualTo("Kernel spec 'x' is unknown.");
        assertThat(Main.messageOf(new NoSuchFileException("/root/.cache/livepatch-testkit")))
                .isEqualTo("NoSuchFileException: /root/.cache/livepatch-testkit");
        assertThat(Main.messageOf(new IllegalStateException())).isEqualTo("IllegalStateException");
    }

    private static Output run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine();
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int status = commandLine.execute(args);
        return new Output(status, out.toString(), err.toString());
    }

    private record Output(int status, String out, String err) {}
}
