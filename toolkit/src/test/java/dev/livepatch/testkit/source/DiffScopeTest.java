package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tree laid out as kbuild leaves it: objects, their {@code .cmd} dependency lists, Makefiles and {@code .config}. */
class DiffScopeTest {
    private static final Path NAME = Path.of("fix.patch");

    @TempDir
    Path tree;

    private void write(String file, String content) throws IOException {
        Files.createDirectories(tree.resolve(file).getParent());
        Files.writeString(tree.resolve(file), content);
    }

    @BeforeEach
    void builtTree() throws IOException {
        write(".config", "CONFIG_PROC_FS=y\nCONFIG_BINFMT_MISC=m\n# CONFIG_BTRFS_FS is not set\n");
        write(
                "fs/Makefile",
                "obj-y += proc/\nobj-$(CONFIG_BINFMT_MISC) += binfmt_misc.o\n"
                        + "obj-$(CONFIG_BTRFS_FS)\t\t+= btrfs/\n");
        write(
                "fs/proc/Makefile",
                "obj-y += proc.o\nproc-y := cmdline.o \\\n\tversion.o\n"
                        + "proc-$(CONFIG_PROC_KCORE) += kcore.o # the core\n");
        write(
                "fs/btrfs/Makefile",
                "obj-$(CONFIG_BTRFS_FS) := btrfs.o\nbtrfs-y += super.o ctree.o\n"
                        + "btrfs-$(CONFIG_BTRFS_FS_POSIX_ACL) += acl.o\n");
        write("fs/proc/cmdline.o", "");
        write("fs/proc/version.o", "");
        write("fs/binfmt_misc.o", "");
        write(
                "fs/proc/.cmdline.o.cmd",
                "savedcmd_fs/proc/cmdline.o := gcc ...\n\n"
                        + "source_fs/proc/cmdline.o := fs/proc/cmdline.c\n\ndeps_fs/proc/cmdline.o := \\\n"
                        + "  include/linux/seq_file.h \\\n  fs/proc/internal.h \\\n    $(wildcard include/config/X) \\\n\n");
        write(
                "kernel/sched/.build_policy.o.cmd",
                "source_kernel/sched/build_policy.o := kernel/sched/build_policy.c\n"
                        + "deps_kernel/sched/build_policy.o := \\\n  kernel/sched/rt.c \\\n");
    }

    private static SourceDiff diffOf(String... paths) {
        StringBuilder text = new StringBuilder();
        for (String path : paths) {
            text.append("--- a/").append(path).append("\n+++ b/").append(path).append("\n@@ -1 +1 @@\n-a;\n+b;\n");
        }
        return SourceDiff.parse(text.toString(), "fix.patch");
    }

    @Test
    void filesWithAnObjectOrInABuiltObjectsDependenciesPass() {
        assertThatCode(() -> new DiffScope(tree)
                        .check(
                                diffOf(
                                        "fs/proc/cmdline.c",
                                        "fs/proc/internal.h",
                                        "kernel/sched/rt.c",
                                        "fs/binfmt_misc.c"),
                                NAME))
                .doesNotThrowAnyException();
    }

    @Test
    void aFileTheConfigurationDoesNotBuildIsNamedWithTheOptionsThatWouldBuildIt() {
        assertThatThrownBy(() -> new DiffScope(tree).check(diffOf("fs/btrfs/super.c"), NAME))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The diff fix.patch changes a file that this kernel's configuration does not build, so"
                        + " klp-build would leave it out of the livepatch:\n"
                        + "  fs/btrfs/super.c: CONFIG_BTRFS_FS would build it (unset in .config)\n"
                        + "Build a kernel whose configuration includes it (--kernel source:<tree> with that .config),"
                        + " or leave it out of the diff.");
    }

    @Test
    void besideBuiltFilesEveryUnbuiltOneIsNamedNeverLeftOutSilently() {
        assertThatThrownBy(() -> new DiffScope(tree)
                        .check(
                                diffOf(
                                        "fs/proc/cmdline.c",
                                        "fs/btrfs/acl.c",
                                        "fs/proc/kcore.c",
                                        "include/linux/btrfs.h"),
                                NAME))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("changes 3 files that this kernel's configuration does not build")
                .hasMessageContaining(
                        "\n  fs/btrfs/acl.c: CONFIG_BTRFS_FS_POSIX_ACL and CONFIG_BTRFS_FS would build it (unset in .config)")
                .hasMessageContaining("\n  fs/proc/kcore.c: CONFIG_PROC_KCORE would build it (unset in .config)")
                .hasMessageContaining("\n  include/linux/btrfs.h: no object of this build includes it")
                .hasMessageNotContaining("cmdline.c");
    }

    @Test
    void aFileNoMakefileNamesSaysSo() {
        assertThatThrownBy(() -> new DiffScope(tree).check(diffOf("fs/proc/orphan.c"), NAME))
                .hasMessageContaining("fs/proc/orphan.c: its Makefile names no configuration option for it that this"
                        + " .config leaves unset");
    }

    @Test
    void aDiffOfWhitespaceIsRefusedBeforeAnyBuild() {
        SourceDiff whitespace = SourceDiff.parse(
                "--- a/fs/proc/cmdline.c\n+++ b/fs/proc/cmdline.c\n@@ -1 +1 @@\n-\treturn 0;\n+        return 0 ;\n",
                "fix.patch");

        assertThatThrownBy(() -> new DiffScope(tree).check(whitespace, NAME))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The diff fix.patch changes only whitespace (in fs/proc/cmdline.c), so no object can"
                        + " change and there is nothing to livepatch. Give the diff of the fix itself.");
    }

    @Test
    void aNewFileIsLeftToTheBuild() {
        SourceDiff created = SourceDiff.parse("--- /dev/null\n+++ b/fs/proc/klp_new.c\n@@ -0,0 +1 @@\n+int a;\n", "x");

        assertThatCode(() -> new DiffScope(tree).check(created, NAME)).doesNotThrowAnyException();
    }
}
