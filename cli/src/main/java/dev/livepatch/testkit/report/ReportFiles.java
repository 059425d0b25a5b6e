package dev.livepatch.testkit.report;

import dev.livepatch.testkit.TestkitException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reports appear whole or not at all: written beside their final name, then renamed over it. */
public final class ReportFiles {
    private ReportFiles() {}

    /** The folder a kernel's reports go in, within a run on several kernels: its spec, safe as a file name. */
    public static String folderName(String kernel) {
        return kernel.replaceAll("[^A-Za-z0-9._+-]", "_");
    }

    public static void write(Path file, String content) {
        Path temporary = file.resolveSibling("." + file.getFileName() + ".partial");
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new TestkitException("Could not write the report " + file + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // The report itself is in place or its error is on its way; a leftover temporary is harmless.
            }
        }
    }
}
