package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeListingTest {
    @TempDir
    Path tree;

    private Path write(String path, String content) throws IOException {
        Path file = tree.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    @Test
    void anUntouchedTreeListsTheSameAndAChangedTimeIsAChange() throws IOException {
        Path source = write("fs/proc/version.c", "int a;\n");
        write("Makefile", "all:\n");
        TreeListing first = TreeListing.of(tree);

        assertThat(TreeListing.of(tree).fingerprint()).isEqualTo(first.fingerprint());

        Files.setLastModifiedTime(source, FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        TreeListing touched = TreeListing.of(tree);
        assertThat(touched.fingerprint()).isNotEqualTo(first.fingerprint());
        assertThat(touched.changedSince(first)).containsExactly("fs/proc/version.c");
    }

    @Test
    void addedAndRemovedFilesAreChanges() throws IOException {
        write("a.c", "1");
        Path gone = write("b.c", "2");
        TreeListing before = TreeListing.of(tree);

        Files.delete(gone);
        write("c.c", "3");

        assertThat(TreeListing.of(tree).changedSince(before)).containsExactly("b.c", "c.c");
    }

    @Test
    void klpBuildsFolderGitAndTheBuildStateAreNotTheBuilds() throws IOException {
        write("a.c", "1");
        TreeListing before = TreeListing.of(tree);

        write("klp-tmp/2-patched/vmlinux.o", "x");
        write(".git/index", "x");
        write(TreeState.FILE, "x");
        write(TreeState.PARTIAL, "x");

        assertThat(TreeListing.of(tree).fingerprint()).isEqualTo(before.fingerprint());
        assertThat(TreeListing.of(tree).changedSince(before)).isEmpty();
    }

    @Test
    void kbuildTargetsAndTheirRecordsAreBuildOutputsAndSourcesAreNot() throws IOException {
        write("fs/proc/version.c", "");
        write("fs/proc/version.o", "");
        write("fs/proc/.version.o.cmd", "");
        write("vmlinux.o", "");
        write(".vmlinux.o.cmd", "");
        write("scripts/setlocalversion", "");
        TreeListing listing = TreeListing.of(tree);

        assertThat(listing.isBuildOutput("fs/proc/version.o")).isTrue();
        assertThat(listing.isBuildOutput("fs/proc/.version.o.cmd")).isTrue();
        assertThat(listing.isBuildOutput("vmlinux.o")).isTrue();
        assertThat(listing.isBuildOutput(".tmp_vmlinux1")).isTrue();
        assertThat(listing.isBuildOutput("System.map")).isTrue();
        assertThat(listing.isBuildOutput("include/config/auto.conf")).isTrue();
        assertThat(listing.isBuildOutput("include/generated/autoconf.h")).isTrue();
        assertThat(listing.isBuildOutput("fs/proc/version.c")).isFalse();
        assertThat(listing.isBuildOutput("scripts/setlocalversion")).isFalse();
        assertThat(listing.isBuildOutput(".config")).isFalse();
        assertThat(listing.isBuildOutput("include/linux/sched.h")).isFalse();
    }
}
