package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/** The modules in a {@code patches/} folder: every subfolder with a {@code patch.properties} manifest. */
@API(status = INTERNAL, since = "0.1")
public final class PatchSources {
    private PatchSources() {}

    /** The project's patches folder ({@code livepatch.patches.dir}). */
    public static Path standardDirectory() {
        return Settings.inProject(Settings.PROJECT_DIR.get(), Settings.PATCHES_DIR.get());
    }

    /** Every patch in {@code patchesDir}, sorted by name. */
    public static List<PatchSource> scan(Path patchesDir) {
        return List.copyOf(byName(patchesDir).values());
    }

    /** The named patches of {@code patchesDir}, in the order given; all of them when {@code names} is empty. */
    public static List<PatchSource> select(Path patchesDir, Collection<String> names) {
        Map<String, PatchSource> available = byName(patchesDir);
        if (names.isEmpty()) {
            return List.copyOf(available.values());
        }
        List<PatchSource> selected = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            PatchSource source = available.get(name);
            if (source == null) {
                unknown.add(name);
            } else if (!selected.contains(source)) {
                selected.add(source);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ModuleBuildException("Unknown patch " + String.join(", ", unknown) + " in " + patchesDir
                    + "; available: " + String.join(", ", available.keySet()) + ".");
        }
        return List.copyOf(selected);
    }

    private static Map<String, PatchSource> byName(Path patchesDir) {
        if (!Files.isDirectory(patchesDir)) {
            throw new ModuleBuildException("The patches folder " + patchesDir + " does not exist; give the folder"
                    + " that holds one subfolder per module with " + Settings.PATCHES_DIR.name() + " (-D"
                    + Settings.PATCHES_DIR.name() + "=<dir> or " + Settings.PATCHES_DIR.environmentName()
                    + "), or @LivepatchTest(patches = \"<dir>\"); relative paths start from "
                    + Settings.PROJECT_DIR.name() + ".");
        }
        Map<String, PatchSource> sources = new LinkedHashMap<>();
        try (Stream<Path> folders = Files.list(patchesDir)) {
            for (Path folder :
                    folders.sorted(Comparator.comparing(Path::toString)).toList()) {
                if (Files.isRegularFile(folder.resolve(PatchManifest.FILE_NAME))) {
                    PatchSource source = PatchManifest.read(folder);
                    sources.put(source.name(), source);
                }
            }
        } catch (IOException e) {
            throw new ModuleBuildException("Could not list " + patchesDir, e);
        }
        for (PatchSource source : sources.values()) {
            for (String include : source.includes()) {
                if (!sources.containsKey(include)) {
                    throw new ModuleBuildException("Patch " + source.name() + " includes '" + include
                            + "', but " + patchesDir + " has no such patch; available: "
                            + String.join(", ", sources.keySet()) + ".");
                }
            }
        }
        return sources;
    }
}
