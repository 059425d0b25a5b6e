package dev.livepatch.testkit.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

/** Writes files into a test's tree, each with a modification time later than any before, as a build would. */
final class TreeFiles {
    private final Path tree;
    private int tick;

    TreeFiles(Path tree) {
        this.tree = tree;
    }

    void write(String path, String content) throws IOException {
        Path file = tree.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(
                file, FileTime.from(Instant.parse("2030-01-01T00:00:00Z").plusSeconds(++tick)));
    }
}
