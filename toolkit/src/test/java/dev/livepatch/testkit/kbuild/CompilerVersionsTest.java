package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Each test asks at places of its own: the answers are kept for the whole JVM. */
class CompilerVersionsTest {
    private final List<List<String>> asked = new ArrayList<>();

    private Function<List<String>, ExecResult> answering(int exitCode, String stdout, String stderr) {
        return command -> {
            asked.add(command);
            return new ExecResult(String.join(" ", command), exitCode, stdout, stderr, Duration.ZERO);
        };
    }

    @Test
    void answersWithTheFirstLineOfVersionAskedOncePerPlaceAndCompiler() {
        Function<List<String>, ExecResult> gcc =
                answering(0, "  gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0 \nCopyright (C) 2022\n", "");

        assertThat(CompilerVersions.firstLine("at place A", "gcc-12", gcc))
                .isEqualTo("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0");
        assertThat(CompilerVersions.firstLine("at place A", "gcc-12", gcc))
                .isEqualTo("gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0");
        assertThat(asked).containsExactly(List.of("gcc-12", "--version"));

        CompilerVersions.firstLine("at place B", "gcc-12", gcc);
        CompilerVersions.firstLine("at place A", "gcc-14", gcc);
        assertThat(asked)
                .containsExactly(
                        List.of("gcc-12", "--version"), List.of("gcc-12", "--version"), List.of("gcc-14", "--version"));
    }

    @Test
    void aFailedAnswerSaysWhereAndIsAskedAgainNextTime() {
        Function<List<String>, ExecResult> broken = answering(1, "", "gcc-12: cannot execute cc1\n");

        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> CompilerVersions.firstLine("at place C", "gcc-12", broken))
                    .isInstanceOf(ModuleBuildException.class)
                    .hasMessage("'gcc-12 --version' failed at place C (exit status 1):\ngcc-12: cannot execute cc1");
        }
        assertThat(asked).hasSize(2);
    }

    @Test
    void anEmptyAnswerIsRefused() {
        assertThatThrownBy(() -> CompilerVersions.firstLine("at place D", "gcc-12", answering(0, " \n", "")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("'gcc-12 --version' failed at place D (exit status 0):");
    }
}
