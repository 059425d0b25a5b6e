package dev.livepatch.testkit.util;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FoldersTest {
    @TempDir
    Path temp;

    @Test
    void deletesAFolderWithEverythingInIt() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("entry/lib/modules"));
        Files.writeString(folder.resolve("a.ko"), "module");
        Files.writeString(temp.resolve("entry/README"), "text");

        Folders.deleteRecursively(temp.resolve("entry"));

        assertThat(temp.resolve("entry")).doesNotExist();
        assertThat(temp).exists();
    }

    @Test
    void deletesASingleFile() throws IOException {
        Path file = Files.writeString(temp.resolve("log"), "x");

        Folders.deleteRecursively(file);

        assertThat(file).doesNotExist();
    }

    @Test
    void deletesALinkButNotWhatItPointsTo() throws IOException {
        Path target = Files.createDirectories(temp.resolve("kept"));
        Files.writeString(target.resolve("file"), "x");
        Path folder = Files.createDirectories(temp.resolve("doomed"));
        Files.createSymbolicLink(folder.resolve("link"), target);
        Path topLink = Files.createSymbolicLink(temp.resolve("top-link"), target);

        Folders.deleteRecursively(folder);
        Folders.deleteRecursively(topLink);

        assertThat(folder).doesNotExist();
        assertThat(topLink).doesNotExist();
        assertThat(target.resolve("file")).hasContent("x");
    }

    @Test
    void doesNothingForWhatIsNotThere() {
        assertThatCode(() -> Folders.deleteRecursively(temp.resolve("missing"))).doesNotThrowAnyException();
        assertThatCode(() -> Folders.deleteRecursively(null)).doesNotThrowAnyException();
    }
}
