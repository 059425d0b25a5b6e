package dev.livepatch.testkit.source;

import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.source.SourceDiff.ChangedFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks, before klp-build runs, that a diff can become a whole livepatch on this tree's build: that it changes more
 * than whitespace, and that this configuration builds every C file and header it changes. klp-build itself only
 * diffs the objects that changed, so a file the configuration does not build would be left out of the module without
 * a word. A file is built when its object exists or when a built object's dependency list ({@code .<object>.cmd})
 * names it.
 */
final class DiffScope {
    private final Path tree;

    DiffScope(Path tree) {
        this.tree = tree;
    }

    void check(SourceDiff diff, Path name) {
        if (diff.whitespaceOnly()) {
            throw new ModuleBuildException("The diff " + name + " changes only whitespace (in "
                    + String.join(", ", diff.paths()) + "), so no object can change and there is nothing to"
                    + " livepatch. Give the diff of the fix itself.");
        }
        List<ChangedFile> unknown = diff.files().stream()
                .filter(file -> !file.created() && (file.isC() || file.isHeader()))
                .filter(file -> !(file.isC() && Files.isRegularFile(tree.resolve(objectOf(file.path())))))
                .toList();
        if (unknown.isEmpty()) {
            return;
        }
        Set<String> built = builtSources(unknown.stream().map(ChangedFile::path).toList());
        Map<String, String> unbuilt = new LinkedHashMap<>();
        for (ChangedFile file : unknown) {
            if (!built.contains(file.path())) {
                unbuilt.put(
                        file.path(), file.isC() ? whatWouldBuild(file.path()) : "no object of this build includes it");
            }
        }
        if (unbuilt.isEmpty()) {
            return;
        }
        StringBuilder message = new StringBuilder("The diff " + name + " changes "
                + (unbuilt.size() == 1 ? "a file" : unbuilt.size() + " files") + " that this kernel's configuration"
                + " does not build, so klp-build would leave " + (unbuilt.size() == 1 ? "it" : "them")
                + " out of the livepatch:");
        unbuilt.forEach(
                (path, why) -> message.append("\n  ").append(path).append(": ").append(why));
        message.append("\nBuild a kernel whose configuration includes ")
                .append(unbuilt.size() == 1 ? "it" : "them")
                .append(" (--kernel source:<tree> with that .config), or leave ")
                .append(unbuilt.size() == 1 ? "it" : "them")
                .append(" out of the diff.");
        throw new ModuleBuildException(message.toString());
    }

    private static String objectOf(String cFile) {
        return cFile.substring(0, cFile.length() - 2) + ".o";
    }

    /** Which of {@code wanted} appear in the dependency list of an object this tree built. */
    private Set<String> builtSources(List<String> wanted) {
        Set<String> remaining = new HashSet<>(wanted);
        Set<String> found = new HashSet<>();
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path cmd : (Iterable<Path>) files.filter(DiffScope::isObjectCommand)::iterator) {
                for (String line : Files.readAllLines(cmd, java.nio.charset.StandardCharsets.ISO_8859_1)) {
                    String entry = line.strip();
                    if (entry.endsWith("\\")) {
                        entry = entry.substring(0, entry.length() - 1).strip();
                    }
                    if (entry.startsWith("source_")) {
                        entry = entry.substring(entry.indexOf(":=") + 2).strip();
                    }
                    if (remaining.remove(entry)) {
                        found.add(entry);
                    }
                }
                if (remaining.isEmpty()) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read the build's dependency lists in " + tree, e);
        }
        return found;
    }

    private static boolean isObjectCommand(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".")
                && name.endsWith(".o.cmd")
                && !file.toString().contains("/" + KlpOriginal.TMP + "/");
    }

    /** The configuration options a folder's Makefile asks to build {@code cFile}, or why none was found. */
    private String whatWouldBuild(String cFile) {
        List<String> options = new ArrayList<>();
        String folder = cFile.contains("/") ? cFile.substring(0, cFile.lastIndexOf('/')) : "";
        String object = cFile.substring(folder.isEmpty() ? 0 : folder.length() + 1, cFile.length() - 2) + ".o";
        new KbuildMakefile(tree, folder).optionsFor(object, options);
        List<String> config = config();
        List<String> unset = options.stream()
                .filter(option -> isUnset(option, config))
                .distinct()
                .toList();
        if (unset.isEmpty()) {
            return "its Makefile names no configuration option for it that this .config leaves unset";
        }
        return (unset.size() == 1 ? unset.get(0) : String.join(" and ", unset)) + " would build it (unset in .config)";
    }

    private boolean isUnset(String option, List<String> config) {
        return config.stream().noneMatch(line -> line.startsWith(option + "=y") || line.startsWith(option + "=m"));
    }

    private List<String> config() {
        try {
            return Files.readAllLines(tree.resolve(".config"));
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read " + tree.resolve(".config"), e);
        }
    }
}
