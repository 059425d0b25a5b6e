package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One module's sources: a folder of {@code patches/} with its C files and manifest.
 *
 * @param name the module name (the {@code .ko} file's base name)
 * @param kind livepatch or fixture
 * @param description one line, from the manifest
 * @param directory the folder holding the sources and the manifest
 * @param includes other patch folders whose sources this one {@code #include}s (as {@code "../<name>/file.c"})
 */
@API(status = STABLE, since = "0.1")
public record PatchSource(String name, PatchKind kind, String description, Path directory, List<String> includes) {
    public PatchSource {
        includes = List.copyOf(includes);
    }

    public PatchSource(String name, PatchKind kind, String description, Path directory) {
        this(name, kind, description, directory, List.of());
    }

    /** The folder of an included patch: a sibling of this one. */
    public Path includedDirectory(String include) {
        return directory.resolveSibling(include);
    }
}
