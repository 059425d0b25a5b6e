package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/** The files of a patch folder that make up the module: C and assembler sources, headers, and the manifest. */
@API(status = INTERNAL, since = "0.1")
public final class PatchFiles {
    private PatchFiles() {}

    /** The folder's source files and manifest, sorted by name; build leftovers and hidden files are ignored. */
    public static List<Path> of(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile)
                    .filter(file ->
                            isSource(file) || file.getFileName().toString().equals(PatchManifest.FILE_NAME))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ModuleBuildException("Could not list the patch folder " + directory, e);
        }
    }

    /** The files kbuild compiles into objects: {@code .c} and {@code .S}. */
    public static List<Path> compiled(Path directory) {
        return of(directory).stream()
                .filter(file -> name(file).endsWith(".c") || name(file).endsWith(".S"))
                .toList();
    }

    private static boolean isSource(Path file) {
        String name = name(file);
        return !name.startsWith(".") && (name.endsWith(".c") || name.endsWith(".h") || name.endsWith(".S"));
    }

    private static String name(Path file) {
        return file.getFileName().toString();
    }
}
