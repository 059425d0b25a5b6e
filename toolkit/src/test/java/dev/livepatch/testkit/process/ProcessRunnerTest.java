package dev.livepatch.testkit.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path temp;

    @Test
    void execReturnsExitStatusAndBothStreams() {
        ExecResult result = ProcessRunner.create()
                .exec(List.of("sh", "-c", "echo out; echo 'err with  spaces' >&2; exit 3"), TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err with  spaces\n");
        assertThat(result.command()).isEqualTo("sh -c echo out; echo 'err with  spaces' >&2; exit 3");
        assertThat(result.duration()).isPositive().isLessThan(TIMEOUT);
    }

    @Test
    void argumentsArePassedUnsplitAndUnquoted() {
        ExecResult result =
                ProcessRunner.create().run(List.of("printf", "[%s]", "two words", "\"quoted\"", "$HOME"), TIMEOUT);

        assertThat(result.stdout()).isEqualTo("[two words][\"quoted\"][$HOME]");
    }

    @Test
    void aCommandLineKeepsEveryArgumentAsItIs() {
        List<String> command = List.of("/usr/bin/qemu", "-name", "two words", "\"quoted\"", "'single'", "${x}", "");

        assertThat(ProcessRunner.toCommandLine(command).toStrings()).containsExactlyElementsOf(command);
    }

    @Test
    void runFailsWithCommandStatusAndTheLastTwentyLines() {
        List<String> command = List.of("sh", "-c", "for i in $(seq 1 30); do echo line$i >&2; done; exit 4");

        assertThatThrownBy(() -> ProcessRunner.create().run(command, TIMEOUT))
                .isInstanceOf(ProcessFailedException.class)
                .hasMessageStartingWith("Command failed with exit status 4: " + String.join(" ", command) + "\n")
                .hasMessageEndingWith("line29\nline30")
                .hasMessageContaining("\nline11\n")
                .hasMessageNotContaining("line10\n")
                .satisfies(e -> assertThat(((ProcessFailedException) e).result().exitCode())
                        .isEqualTo(4));
    }

    @Test
    void aCommandOverItsTimeIsKilledAndReported() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> ProcessRunner.create()
                        .exec(List.of("sh", "-c", "echo started; exec sleep 30"), Duration.ofMillis(300)))
                .isInstanceOf(ProcessFailedException.class)
                .hasMessage("Command timed out after 300 ms and was killed: sh -c echo started; exec sleep 30\n"
                        + "started")
                .satisfies(e -> assertThat(((ProcessFailedException) e).result().stdout())
                        .isEqualTo("started\n"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aTimeoutAlsoKillsChildrenThatHoldTheOutputOpen() {
        long start = System.nanoTime();

        assertThatThrownBy(() -> ProcessRunner.create()
                        .exec(List.of("sh", "-c", "sleep 30; echo never"), Duration.ofMillis(300)))
                .isInstanceOf(ProcessFailedException.class)
                .hasMessage("Command timed out after 300 ms and was killed: sh -c sleep 30; echo never\n")
                .satisfies(e -> assertThat(((ProcessFailedException) e).result().stdout())
                        .isEmpty());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aMissingProgramIsNamed() {
        assertThatThrownBy(() ->
                        ProcessRunner.create().exec(List.of("/nonexistent/lpt-no-such-program", "--version"), TIMEOUT))
                .isInstanceOf(ProcessFailedException.class)
                .hasMessageStartingWith("Could not run /nonexistent/lpt-no-such-program: ")
                .hasMessageEndingWith(" (is it installed and on PATH?)")
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void runsInTheGivenDirectoryWithAddedEnvironment() {
        ExecResult result = ProcessRunner.create()
                .inDirectory(temp)
                .withEnvironment(Map.of("LPT_GREETING", "hello"))
                .run(List.of("sh", "-c", "pwd; echo $LPT_GREETING; test -n \"$PATH\" && echo path-kept"), TIMEOUT);

        assertThat(result.stdout().lines()).containsExactly(temp.toString(), "hello", "path-kept");
    }

    @Test
    void echoCopiesBothStreamsAsTheyArrive() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ExecResult result =
                ProcessRunner.create().echoingTo(log).run(List.of("sh", "-c", "echo to-out; echo to-err >&2"), TIMEOUT);

        assertThat(log.toString(StandardCharsets.UTF_8).lines()).containsExactlyInAnyOrder("to-out", "to-err");
        assertThat(result.stdout()).isEqualTo("to-out\n");
        assertThat(result.stderr()).isEqualTo("to-err\n");
    }

    @Test
    void outputTailPrefersStderrAndFallsBackToStdout() {
        ExecResult withStderr = new ExecResult("x", 1, "a\nb\n", "c\nd\ne\n", Duration.ZERO);
        ExecResult withoutStderr = new ExecResult("x", 1, "a\nb\n", " \n", Duration.ZERO);

        assertThat(withStderr.outputTail(2)).isEqualTo("d\ne");
        assertThat(withoutStderr.outputTail(5)).isEqualTo("a\nb");
    }
}
