package dev.livepatch.testkit.source;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A folder's kbuild Makefile ({@code Kbuild}, else {@code Makefile}), read for one question: which configuration
 * options decide whether an object is built. It follows {@code obj-$(CONFIG_X) += x.o}, composite objects
 * ({@code foo-$(CONFIG_Y) += x.o} with {@code obj-$(CONFIG_X) += foo.o}) and the parent folder's
 * {@code obj-$(CONFIG_Z) += folder/}.
 */
final class KbuildMakefile {
    private static final Pattern ASSIGNMENT =
            Pattern.compile("^\\s*([A-Za-z0-9_.-]+?)-(y|m|objs|\\$\\(CONFIG_([A-Za-z0-9_]+)\\))\\s*[:+]?=(.*)$");
    private static final Pattern CONDITION = Pattern.compile("\\$\\(CONFIG_([A-Za-z0-9_]+)\\)");
    private static final int MAX_FOLDERS_UP = 8;

    private record Assignment(String variable, String option, List<String> objects) {}

    private final Path tree;
    private final String folder;
    private final List<Assignment> assignments;

    /** @param folder relative to the tree's top folder, "" for the top */
    KbuildMakefile(Path tree, String folder) {
        this.tree = tree;
        this.folder = folder;
        this.assignments = read(tree.resolve(folder));
    }

    /** Adds to {@code options} each option this folder and those above it ask before building {@code object}. */
    void optionsFor(String object, List<String> options) {
        optionsFor(object, options, new HashSet<>(), 0);
    }

    private void optionsFor(String object, List<String> options, Set<String> seen, int foldersUp) {
        if (!seen.add(folder + "/" + object)) {
            return;
        }
        boolean named = false;
        for (Assignment assignment : assignments) {
            if (!assignment.objects().contains(object)) {
                continue;
            }
            named = true;
            if (assignment.option() != null) {
                options.add("CONFIG_" + assignment.option());
            }
            if (assignment.variable().equals("obj")) {
                parentOptions(folderName() + "/", options, seen, foldersUp);
            } else {
                optionsFor(assignment.variable() + ".o", options, seen, foldersUp);
            }
        }
        if (!named) {
            parentOptions(folderName() + "/" + object, options, seen, foldersUp);
        }
    }

    private void parentOptions(String entry, List<String> options, Set<String> seen, int foldersUp) {
        if (folder.isEmpty() || foldersUp >= MAX_FOLDERS_UP) {
            return;
        }
        String parent = folder.contains("/") ? folder.substring(0, folder.lastIndexOf('/')) : "";
        new KbuildMakefile(tree, parent).optionsFor(entry, options, seen, foldersUp + 1);
    }

    private String folderName() {
        return folder.substring(folder.lastIndexOf('/') + 1);
    }

    private static List<Assignment> read(Path folder) {
        Path file =
                Files.isRegularFile(folder.resolve("Kbuild")) ? folder.resolve("Kbuild") : folder.resolve("Makefile");
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        String text;
        try {
            text = Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read " + file, e);
        }
        List<Assignment> assignments = new ArrayList<>();
        for (String line : text.replace("\\\n", " ").lines().toList()) {
            String code = line.contains("#") ? line.substring(0, line.indexOf('#')) : line;
            Matcher assignment = ASSIGNMENT.matcher(code);
            if (assignment.matches()) {
                String option = assignment.group(3);
                if (option == null) {
                    Matcher condition = CONDITION.matcher(assignment.group(2));
                    option = condition.find() ? condition.group(1) : null;
                }
                List<String> objects = List.of(assignment.group(4).trim().split("\\s+"));
                assignments.add(new Assignment(assignment.group(1), option, objects));
            }
        }
        return assignments;
    }
}
