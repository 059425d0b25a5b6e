package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Livepatches made from source diffs by the kernel tree's own klp-build (Linux 6.19 and later), loaded into the
 * kernel built from that same tree: {@code ./testkit test --kernel source:debian:sid klp-build}.
 */
@Tag("klp-build")
@LivepatchTest
class KlpBuildIT {
    private static final String CMDLINE_ORIGINAL = "console=ttyS0";

    private Livepatches livepatches;
    private PatchModules modules;

    @BeforeEach
    void connect(Livepatches livepatches, PatchModules modules, Kernel kernel) {
        assumeTrue(
                kernel.source().startsWith("source tree ")
                        && Files.isExecutable(kernel.buildDir().resolve("scripts/livepatch/klp-build")),
                "klp-build needs a kernel built from a Linux 6.19+ source tree (--kernel source:<tree>), not "
                        + kernel.source());
        this.livepatches = livepatches;
        this.modules = modules;
    }

    /** The repository's sample diffs, in {@code diffs/}; relative paths are taken from the project folder. */
    private static Path diff(String name) {
        return Path.of("diffs", name);
    }

    private static Path inProject(Path path) {
        return Settings.inProject(Settings.PROJECT_DIR.get(), path);
    }

    private Patch enable(BuiltModule module) {
        Patch patch = livepatches.load(module);
        patch.awaitTransition();
        return patch;
    }

    private String cmdline() {
        return livepatches.read("/proc/cmdline");
    }

    private String meminfo() {
        return livepatches.read("/proc/meminfo");
    }

    @Test
    void aDiffBecomesALivepatchNamedAfterIt() {
        BuiltModule module = modules.fromDiff(diff("cmdline.patch"));

        assertThat(module.ko().getFileName()).hasToString("livepatch-cmdline.ko");
        assertThat(module.modInfo().livepatch()).isTrue();
        Patch patch = enable(module);

        assertThat(patch.name()).isEqualTo("livepatch_cmdline");
        assertThat(cmdline()).startsWith("klp_build_cmdline: " + CMDLINE_ORIGINAL);
        assertThat(patch).isPresent().isEnabled();
        assertThat(meminfo()).startsWith("MemTotal:");
    }

    @Test
    void theSecondDiffReplacesTheFirstAndRevertsWhatOnlyTheFirstPatched() {
        enable(modules.fromDiff(diff("cmdline.patch")));

        Patch meminfo = enable(modules.fromDiff(diff("meminfo.patch")));

        assertThat(meminfo()).startsWith("klp_build_meminfo: this has been live patched");
        assertThat(cmdline()).startsWith(CMDLINE_ORIGINAL);
        assertThat(livepatches.stack()).hasOrder(meminfo.name());
    }

    @Test
    void withoutReplaceTheSecondDiffStacksOnTheFirst() {
        Patch cmdline = enable(modules.fromDiff(diff("cmdline.patch")));

        Patch meminfo = enable(modules.fromDiff(
                diff("meminfo.patch"),
                DiffOptions.defaults().named("meminfo_stacked").noReplace()));

        assertThat(meminfo.name()).isEqualTo("livepatch_meminfo_stacked");
        assertThat(meminfo()).startsWith("klp_build_meminfo: this has been live patched");
        assertThat(cmdline()).startsWith("klp_build_cmdline: ");
        assertThat(livepatches.stack()).hasOrder(cmdline.name(), meminfo.name());
        meminfo.disable();
        meminfo.awaitTransition();
        assertThat(meminfo()).startsWith("MemTotal:");
        assertThat(cmdline()).startsWith("klp_build_cmdline: ");
    }

    @Test
    void aDiffThatDoesNotApplyIsRefusedWithItsRejectedHunk(@TempDir Path folder) throws IOException {
        Path stale = Files.writeString(
                folder.resolve("stale.patch"),
                Files.readString(inProject(diff("cmdline.patch")))
                        .replace("seq_puts(m, saved_command_line);", "seq_puts(m, x);"));

        assertThatThrownBy(() -> modules.fromDiff(stale))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("does not apply to")
                .hasMessageContaining("FAILED")
                .hasMessageContaining("fs/proc/cmdline.c");
    }

    @Test
    void aDiffToCodeKlpBuildRefusesSaysWhich(@TempDir Path folder) throws IOException {
        Path library = Files.writeString(
                folder.resolve("library.patch"),
                "--- a/lib/string.c\n+++ b/lib/string.c\n@@ -1,1 +1,2 @@\n+/* a comment */\n"
                        + " // SPDX-License-Identifier: GPL-2.0\n");

        assertThatThrownBy(() -> modules.fromDiff(library))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("klp-build cannot livepatch lib/string.c");
    }

    @Test
    void aDiffThatChangesNoCodeSaysSo(@TempDir Path folder) throws IOException {
        Path comment = Files.writeString(
                folder.resolve("comment.patch"),
                Files.readString(inProject(diff("cmdline.patch")))
                        .replace(
                                "+\tseq_printf(m, \"klp_build_cmdline: %s\\n\", saved_command_line);\n",
                                "+\tseq_puts(m, saved_command_line); /* the command line */\n+\tseq_putc(m, '\\n');\n")
                        .replace("@@ -7,8 +7,7 @@", "@@ -7,8 +7,8 @@"));

        assertThatThrownBy(() -> modules.fromDiff(comment))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("found nothing to livepatch");
    }
}
