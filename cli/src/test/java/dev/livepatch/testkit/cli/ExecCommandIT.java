package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.vm.QemuPrerequisite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code ./testkit exec} against a real guest: each argument reaches the guest as the word it was. */
@Tag("qemu")
class ExecCommandIT {
    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @Test
    void eachArgumentStaysOneWord() {
        CliRun run = CliRun.of("exec", "--", "sh", "-c", "echo one two");

        assertThat(run.exitCode()).as(run.errors()).isZero();
        assertThat(run.output()).isEqualTo("one two\n");
    }

    @Test
    void spacesQuotesEmptyWordsAndDollarsAreNotInterpretedAgain() {
        CliRun run = CliRun.of("exec", "--", "printf", "[%s]", "a  b", "it's", "", "$HOME", "*");

        assertThat(run.exitCode()).as(run.errors()).isZero();
        assertThat(run.output()).isEqualTo("[a  b][it's][][$HOME][*]");
    }

    @Test
    void aSingleArgumentIsAWholeCommandLine() {
        CliRun run = CliRun.of("exec", "--", "uname -r; echo $((1+1))");

        assertThat(run.exitCode()).as(run.errors()).isZero();
        assertThat(run.output()).matches("(?s)\\S+\n2\n");
    }

    @Test
    void exitStatusStandardOutputAndStandardErrorPassThrough() {
        CliRun run = CliRun.of("exec", "--", "sh", "-c", "echo out; echo err >&2; exit 3");

        assertThat(run.exitCode()).isEqualTo(3);
        assertThat(run.output()).isEqualTo("out\n");
        assertThat(run.errors()).contains("err\n");
    }
}
