package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSnapshotTest {
    @TempDir
    Path tree;

    @Test
    void putsBackAChangedFileAndRemovesACreatedOneOnly() throws IOException {
        Files.createDirectories(tree.resolve("fs/proc"));
        Files.writeString(tree.resolve("fs/proc/version.c"), "original\n");
        Files.writeString(tree.resolve("fs/proc/cmdline.c"), "untouched\n");
        SourceSnapshot snapshot =
                SourceSnapshot.of(tree, List.of("fs/proc/version.c", "fs/proc/cmdline.c", "fs/proc/new.c"));

        Files.writeString(tree.resolve("fs/proc/version.c"), "patched\n");
        Files.writeString(tree.resolve("fs/proc/new.c"), "created by the diff\n");

        assertThat(snapshot.restore()).containsExactly("fs/proc/version.c", "fs/proc/new.c");
        assertThat(tree.resolve("fs/proc/version.c")).hasContent("original");
        assertThat(tree.resolve("fs/proc/cmdline.c")).hasContent("untouched");
        assertThat(tree.resolve("fs/proc/new.c")).doesNotExist();
        assertThat(snapshot.restore()).isEmpty();
    }

    @Test
    void putsBackADeletedFile() throws IOException {
        Files.writeString(tree.resolve("Makefile"), "all:\n");
        SourceSnapshot snapshot = SourceSnapshot.of(tree, List.of("Makefile"));

        Files.delete(tree.resolve("Makefile"));

        assertThat(snapshot.restore()).containsExactly("Makefile");
        assertThat(tree.resolve("Makefile")).hasContent("all:");
    }
}
