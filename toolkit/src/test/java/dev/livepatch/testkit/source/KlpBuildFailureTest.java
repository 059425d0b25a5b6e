package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.process.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** klp-build's own output for each failure, as Debian's 7.2 klp-build prints it (stdout, then stderr). */
class KlpBuildFailureTest {
    private static final Path DIFF = Path.of("/work/fix.patch");
    private static final Path LOG = Path.of("/cache/build-logs/klp-build-x.log");
    private static final SourceDiff CHANGES =
            new SourceDiff(List.of(new SourceDiff.ChangedFile("fs/proc/cmdline.c", false, false)));
    private static final String TREE = "Debian sid linux-source-7.2 7.2.13-1 (/cache/source-trees/linux)";

    private static String explain(String stdout, String stderr) {
        return KlpBuildFailure.explain(
                new ExecResult("klp-build", 1, stdout, stderr, Duration.ZERO), DIFF, CHANGES, TREE, LOG);
    }

    @Test
    void aDiffThatDoesNotApplyShowsPatchsRejectedHunks() {
        assertThat(explain(
                        "Validating patch(es)\n",
                        "checking file fs/proc/cmdline.c\nHunk #1 FAILED at 7.\n1 out of 1 hunk FAILED\n"
                                + "error: klp-build: /work/fix.patch did not apply\n"))
                .isEqualTo("The diff /work/fix.patch does not apply to " + TREE + ":\n"
                        + "checking file fs/proc/cmdline.c\nHunk #1 FAILED at 7.\n1 out of 1 hunk FAILED\n"
                        + "Make it against this tree's sources (e.g. with 'git diff' in the tree), then build again.\n"
                        + "klp-build's whole output: " + LOG);
    }

    @Test
    void aDiffToCodeKlpBuildRefusesNamesTheFile() {
        assertThat(explain(
                        "Validating patch(es)\n",
                        "error: klp-build: /work/fix.patch: unsupported patch to lib/string.c\n"))
                .startsWith("klp-build cannot livepatch lib/string.c, which /work/fix.patch changes: it refuses lib/,"
                        + " vdso and real-mode code and assembly (.S) files.");
    }

    @Test
    void aDiffThatChangesNoObjectSaysSo() {
        assertThat(explain(
                        "Validating patch(es)\nFixing patch(es)\nBuilding patched kernel\nCopying patched object files\n",
                        "error: klp-build: no changes detected\n"))
                .startsWith("klp-build found nothing to livepatch in /work/fix.patch: no object built from"
                        + " fs/proc/cmdline.c changed. The diff changes only comments, or code that this configuration"
                        + " compiles out (under an #if it leaves unset).");
    }

    @Test
    void anyOtherErrorIsQuotedWithWhatCameBefore() {
        assertThat(explain("", "some context\nerror: klp-build: CONFIG_KLP_BUILD not enabled\n"))
                .isEqualTo("klp-build failed on /work/fix.patch: CONFIG_KLP_BUILD not enabled\nsome context\n"
                        + "klp-build's whole output: " + LOG);
    }

    @Test
    void outputWithoutKlpBuildsErrorLineIsQuotedWhole() {
        assertThat(explain("Building patched kernel\n", "make: *** [Makefile:2000: vmlinux] Error 2\n"))
                .startsWith("klp-build failed on /work/fix.patch (exit status 1):\n")
                .contains("make: *** [Makefile:2000: vmlinux] Error 2");
    }
}
