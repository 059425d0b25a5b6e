package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.patch.CompilerDiagnostic;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Uses the log of a real failed build: lpt_cmdline (a missing ';') and lpt_state3, which includes lpt_state2.c (an
 * unused variable and a missing ';'), staged in {@code /tmp/lpt-project} and built with -j2 against Debian's 6.1
 * headers.
 */
class KbuildLogTest {
    private static final Path STAGED = Path.of("/tmp/lpt-project");
    private static final Path PATCHES = Path.of("/home/user/patches");
    private static final Function<Path, Path> TO_PATCHES =
            staged -> PATCHES.resolve(STAGED.relativize(staged.normalize()));

    @Test
    void extractsTheCompilersMessagesWithThePatchesOwnPaths() throws IOException {
        assertThat(KbuildLog.diagnostics(brokenBuildLog(), TO_PATCHES))
                .extracting(CompilerDiagnostic::toString)
                .containsExactly(
                        "/home/user/patches/lpt_cmdline/lpt_cmdline.c:42:44: error: expected ';' before '}' token",
                        "/home/user/patches/lpt_state2/lpt_state2.c:53:13: warning: unused variable 'unused_level'"
                                + " [-Wunused-variable]",
                        "/home/user/patches/lpt_state2/lpt_state2.c:95:27: error: expected ';' before 'state'");
    }

    @Test
    void keepsTheFieldsOfEachMessage() throws IOException {
        CompilerDiagnostic first =
                KbuildLog.diagnostics(brokenBuildLog(), TO_PATCHES).get(0);

        assertThat(first.file()).isEqualTo(PATCHES.resolve("lpt_cmdline/lpt_cmdline.c"));
        assertThat(first.line()).isEqualTo(42);
        assertThat(first.column()).isEqualTo(44);
        assertThat(first.severity()).isEqualTo("error");
        assertThat(first.isError()).isTrue();
        assertThat(first.message()).isEqualTo("expected ';' before '}' token");
    }

    @Test
    void ignoresMakesOwnErrorLinesAndSourceExcerpts() throws IOException {
        assertThat(KbuildLog.otherErrors(brokenBuildLog())).isEmpty();
        assertThat(KbuildLog.diagnostics(
                        "make[2]: *** [/x/Makefile.build:255: /tmp/p/a.o] Error 1\n"
                                + "   42 |         return klp_enable_patch(&lpt_patch)\n",
                        TO_PATCHES))
                .isEmpty();
    }

    @Test
    void findsModpostErrorsAndFatalErrors() {
        String log = "/tmp/lpt-project/lpt_x/lpt_x.c:3:10: fatal error: linux/nope.h: No such file or directory\n"
                + "ERROR: modpost: \"lpt_missing\" [/tmp/lpt-project/lpt_x/lpt_x.ko] undefined!\n"
                + "WARNING: modpost: missing MODULE_LICENSE() in /tmp/lpt-project/lpt_x/lpt_x.o\n";

        assertThat(KbuildLog.diagnostics(log, TO_PATCHES))
                .extracting(CompilerDiagnostic::toString)
                .containsExactly("/home/user/patches/lpt_x/lpt_x.c:3:10: fatal error: linux/nope.h: No such file or"
                        + " directory");
        assertThat(KbuildLog.otherErrors(log))
                .containsExactly("ERROR: modpost: \"lpt_missing\" [/tmp/lpt-project/lpt_x/lpt_x.ko] undefined!");
    }

    @Test
    void tailsTheLog() {
        assertThat(KbuildLog.tail("a\nb\nc\n", 2)).isEqualTo("b\nc");
        assertThat(KbuildLog.tail("a\n", 5)).isEqualTo("a");
    }

    private static String brokenBuildLog() throws IOException {
        try (InputStream in = KbuildLogTest.class.getResourceAsStream("broken-build.log")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
