package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.PatchFiles;
import dev.livepatch.testkit.patch.PatchSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One kbuild project holding every module of a build: each patch is copied into its own subfolder with a one-line
 * {@code Kbuild}, and the top-level {@code Kbuild} lists the subfolders of the modules to build, so a single
 * {@code make ... modules} builds them all. Patches that are only {@code #include}d are copied but not built.
 */
final class KbuildProject {
    private final Path root;
    private final Map<String, Path> originals;

    private KbuildProject(Path root, Map<String, Path> originals) {
        this.root = root;
        this.originals = originals;
    }

    /** Copies {@code modules} (and the patches they include) into the empty folder {@code root}. */
    static KbuildProject stage(Path root, List<PatchSource> modules) {
        Map<String, Path> originals = new LinkedHashMap<>();
        try {
            Path realRoot = Files.createDirectories(root).toRealPath();
            for (PatchSource module : modules) {
                copy(module.directory(), realRoot.resolve(module.name()));
                originals.put(module.name(), module.directory());
                Files.writeString(
                        realRoot.resolve(module.name()).resolve("Kbuild"),
                        moduleKbuild(module),
                        StandardCharsets.UTF_8);
            }
            for (PatchSource module : modules) {
                for (String include : module.includes()) {
                    if (!originals.containsKey(include)) {
                        copy(module.includedDirectory(include), realRoot.resolve(include));
                        originals.put(include, module.includedDirectory(include));
                    }
                }
            }
            String topLevel = modules.stream()
                    .map(module -> "obj-m += " + module.name() + "/\n")
                    .collect(Collectors.joining());
            Files.writeString(realRoot.resolve("Kbuild"), topLevel, StandardCharsets.UTF_8);
            return new KbuildProject(realRoot, Map.copyOf(originals));
        } catch (IOException e) {
            throw new ModuleBuildException("Could not stage the kbuild project in " + root, e);
        }
    }

    /** The folder to give kbuild as {@code M=}. */
    Path root() {
        return root;
    }

    /** Where kbuild writes the module of {@code source}. */
    Path moduleFile(PatchSource source) {
        return root.resolve(source.name()).resolve(source.name() + ".ko");
    }

    /** The patch's own file for a staged copy; other paths are returned unchanged. */
    Path original(Path staged) {
        Path path = staged.normalize();
        if (!path.startsWith(root) || path.getNameCount() <= root.getNameCount()) {
            return staged;
        }
        Path relative = root.relativize(path);
        Path original = originals.get(relative.getName(0).toString());
        return original == null ? staged : original.resolve(relative.subpath(1, relative.getNameCount()));
    }

    /** The text with every staged patch folder replaced by the patch's own folder. */
    String withOriginalPaths(String text) {
        String result = text;
        for (Map.Entry<String, Path> entry : originals.entrySet()) {
            result = result.replace(
                    root.resolve(entry.getKey()).toString(), entry.getValue().toString());
        }
        return result;
    }

    /** {@code obj-m} for one module: one object named after it, or its sources linked under its name. */
    static String moduleKbuild(PatchSource module) {
        List<String> objects = PatchFiles.compiled(module.directory()).stream()
                .map(file -> file.getFileName().toString().replaceFirst("\\.[cS]$", ".o"))
                .toList();
        String own = module.name() + ".o";
        if (objects.equals(List.of(own))) {
            return "obj-m += " + own + "\n";
        }
        if (objects.isEmpty()) {
            throw new ModuleBuildException("Patch " + module.name() + " has no .c or .S file in " + module.directory()
                    + "; add the module's source there.");
        }
        if (objects.contains(own)) {
            throw new ModuleBuildException("Patch " + module.name() + " has several source files and one of them is"
                    + " named " + module.name() + ".c, which kbuild cannot link into a module of the same name;"
                    + " rename that file.");
        }
        return "obj-m += " + own + "\n" + module.name() + "-y := " + String.join(" ", objects) + "\n";
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path file : PatchFiles.of(from)) {
            Files.copy(file, to.resolve(file.getFileName()));
        }
    }
}
