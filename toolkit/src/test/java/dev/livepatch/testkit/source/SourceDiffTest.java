package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.source.SourceDiff.ChangedFile;
import org.junit.jupiter.api.Test;

class SourceDiffTest {
    private static final String CMDLINE = """
            --- a/fs/proc/cmdline.c
            +++ b/fs/proc/cmdline.c
            @@ -7,8 +7,7 @@
             \s
             static int cmdline_proc_show(struct seq_file *m, void *v)
             {
            -	seq_puts(m, saved_command_line);
            -	seq_putc(m, '\\n');
            +	seq_printf(m, "klp_build_cmdline: %s\\n", saved_command_line);
             	return 0;
             }
             \s
            """;

    @Test
    void readsTheFilesAsPatchP1DoesWithTheirGitHeadersAndTimestamps() {
        SourceDiff diff = SourceDiff.parse(
                "diff --git a/fs/proc/version.c b/fs/proc/version.c\nindex 1..2 100644\n"
                        + "--- a/fs/proc/version.c\t2026-12-01 10:00:00.000000000 +0000\n"
                        + "+++ b/fs/proc/version.c\t2026-12-01 10:00:01.000000000 +0000\n"
                        + "@@ -1 +1 @@\n-int a;\n+int b;\n"
                        + "--- /dev/null\n+++ b/fs/proc/klp_new.c\n@@ -0,0 +1,2 @@\n+int c;\n+int d;\n"
                        + "--- a/fs/proc/old.h\n+++ /dev/null\n@@ -1 +0,0 @@\n-int e;\n"
                        + CMDLINE,
                "x.patch");

        assertThat(diff.files())
                .containsExactly(
                        new ChangedFile("fs/proc/version.c", false, false),
                        new ChangedFile("fs/proc/klp_new.c", true, false),
                        new ChangedFile("fs/proc/old.h", false, false),
                        new ChangedFile("fs/proc/cmdline.c", false, false));
        assertThat(diff.whitespaceOnly()).isFalse();
    }

    @Test
    void aDiffThatOnlyMovesTokensApartChangesOnlyWhitespace() {
        SourceDiff diff = SourceDiff.parse("""
                --- a/fs/proc/cmdline.c
                +++ b/fs/proc/cmdline.c
                @@ -9,3 +9,4 @@
                -	seq_puts(m, saved_command_line);
                +    seq_puts( m,saved_command_line ) ;
                +
                 	seq_putc(m, '\\n');
                """, "w.patch");

        assertThat(diff.whitespaceOnly()).isTrue();
    }

    @Test
    void spacesInsideALiteralOrBetweenOperatorsAreChanges() {
        assertThat(SourceDiff.CTokens.of("seq_puts(m, \"a b\");"))
                .isNotEqualTo(SourceDiff.CTokens.of("seq_puts(m, \"ab\");"));
        assertThat(SourceDiff.CTokens.of("x = a - -b;")).isNotEqualTo(SourceDiff.CTokens.of("x = a--b;"));
        assertThat(SourceDiff.CTokens.of("unsigned int x;")).isNotEqualTo(SourceDiff.CTokens.of("unsignedint x;"));
        assertThat(SourceDiff.CTokens.of("f(a,\tb)")).isEqualTo(SourceDiff.CTokens.of("f (a, b)"));
        assertThat(SourceDiff.CTokens.of("c = '\\'';")).containsExactly("c", "=", "'\\''", ";");
    }

    @Test
    void aCommentChangeIsMoreThanWhitespaceForKlpBuildToJudge() {
        assertThat(SourceDiff.parse(
                                CMDLINE.replace(
                                        "seq_printf(m, \"klp_build_cmdline: %s\\n\", saved_command_line);",
                                        "seq_puts(m, saved_command_line); /* x */"),
                                "c.patch")
                        .whitespaceOnly())
                .isFalse();
    }

    @Test
    void textWithoutFileHeadersIsRefused() {
        assertThatThrownBy(() -> SourceDiff.parse("fix the thing\n", "notes.txt"))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The diff notes.txt changes no file: it holds no '--- a/<file>' and '+++ b/<file>' lines."
                        + " Give a unified diff made in the tree (e.g. with 'git diff').");
    }
}
