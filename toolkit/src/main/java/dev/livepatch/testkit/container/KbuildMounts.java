package dev.livepatch.testkit.container;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The folders kbuild reads when it builds an external module against a kernel build folder: the
 * build folder itself, the folders its top-level symlinks point to (Debian's {@code scripts} and
 * {@code tools} point into the {@code linux-kbuild} package) and the folders of makefiles its
 * {@code Makefile} includes by absolute path or relative to itself (Debian's common headers), followed
 * until nothing new turns up. A container that mounts each of them at its own path sees the tree exactly
 * as the host does.
 */
final class KbuildMounts {
    private static final Pattern ABSOLUTE_INCLUDE = Pattern.compile("^\\s*-?include\\s+(/\\S+)\\s*$");

    /** {@code include $(dir $(realpath $(lastword $(MAKEFILE_LIST))))../other/Makefile}: relative to the includer. */
    private static final Pattern SELF_RELATIVE_INCLUDE =
            Pattern.compile("^\\s*-?include\\s+\\$\\(dir\\s.*MAKEFILE_LIST.*\\)([^)\\s/][^)\\s]*)\\s*$");

    private KbuildMounts() {}

    /** The real paths of the folders to mount, outermost only, in sorted order. */
    static List<Path> of(Path buildDir) {
        Path start = realDirectory(buildDir);
        Set<Path> found = new LinkedHashSet<>();
        Deque<Path> pending = new ArrayDeque<>(List.of(start));
        while (!pending.isEmpty()) {
            Path folder = pending.pop();
            if (found.add(folder)) {
                pending.addAll(referencedFolders(folder));
            }
        }
        return outermost(found);
    }

    private static Path realDirectory(Path buildDir) {
        try {
            Path real = buildDir.toRealPath();
            if (!Files.isDirectory(real)) {
                throw new ModuleBuildException("The kernel build folder " + buildDir + " is not a folder");
            }
            return real;
        } catch (IOException e) {
            throw new ModuleBuildException("The kernel build folder " + buildDir + " does not exist", e);
        }
    }

    private static List<Path> referencedFolders(Path folder) {
        List<Path> referenced = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            entries.filter(Files::isSymbolicLink)
                    .map(KbuildMounts::folderOf)
                    .flatMap(Optional::stream)
                    .forEach(referenced::add);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not list the kernel folder " + folder, e);
        }
        Path makefile = folder.resolve("Makefile");
        if (Files.isRegularFile(makefile)) {
            includes(makefile).stream()
                    .map(KbuildMounts::folderOf)
                    .flatMap(Optional::stream)
                    .forEach(referenced::add);
        }
        return referenced;
    }

    private static List<Path> includes(Path makefile) {
        try (Stream<String> lines = Files.lines(makefile)) {
            return lines.map(line -> includedPath(makefile, line))
                    .flatMap(Optional::stream)
                    .toList();
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read " + makefile, e);
        }
    }

    private static Optional<Path> includedPath(Path makefile, String line) {
        Matcher absolute = ABSOLUTE_INCLUDE.matcher(line);
        if (absolute.matches()) {
            return Optional.of(Path.of(absolute.group(1)));
        }
        Matcher relative = SELF_RELATIVE_INCLUDE.matcher(line);
        if (relative.matches()) {
            return Optional.of(makefile.getParent().resolve(relative.group(1)));
        }
        return Optional.empty();
    }

    /** The real folder a path stands for: itself when it is a folder, else its parent; empty when dangling. */
    private static Optional<Path> folderOf(Path path) {
        try {
            Path real = path.toRealPath();
            return Optional.of(Files.isDirectory(real) ? real : real.getParent());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static List<Path> outermost(Set<Path> folders) {
        return folders.stream()
                .filter(folder ->
                        folders.stream().noneMatch(other -> !other.equals(folder) && folder.startsWith(other)))
                .sorted()
                .toList();
    }
}
