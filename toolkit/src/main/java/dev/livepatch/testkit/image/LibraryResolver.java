package dev.livepatch.testkit.image;

import dev.livepatch.testkit.config.Arch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Adds the shared libraries that an image's programs need: each ELF file's {@code DT_NEEDED} entries and
 * program interpreter, found among the unpacked packages, recursively.
 */
final class LibraryResolver {
    /** Where libraries are, for an architecture's triplet; {@code lib64} for x86_64's program interpreter. */
    private static List<String> libraryDirs(Arch arch) {
        return List.of("lib/" + arch.triplet(), "usr/lib/" + arch.triplet(), "lib64", "lib", "usr/lib");
    }

    /** Library file name -> (package root, path inside it). */
    private final Map<String, Path[]> libraries = new HashMap<>();

    private final List<PackageFiles> packages;

    /** Resolves from {@code packages}, of {@code arch}. */
    LibraryResolver(List<PackageFiles> packages, Arch arch) throws IOException {
        this.packages = packages;
        for (PackageFiles pkg : packages) {
            for (String dir : libraryDirs(arch)) {
                Path folder = pkg.root().resolve(dir);
                if (!Files.isDirectory(folder)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(folder)) {
                    files.forEach(f -> libraries.putIfAbsent(f.getFileName().toString(), new Path[] {pkg.root(), f}));
                }
            }
        }
    }

    /** Resolves every ELF file already in the image, adding what they need. */
    void addNeeded(Initramfs image, Map<String, Path> elfFiles) throws IOException {
        Deque<Path> pending = new ArrayDeque<>(elfFiles.values());
        Set<String> done = new HashSet<>();
        while (!pending.isEmpty()) {
            Elf elf = Elf.read(pending.pop());
            Optional<String> interpreter = elf.interpreter();
            if (interpreter.isPresent() && done.add(interpreter.get())) {
                pending.add(addInterpreter(image, interpreter.get()));
            }
            for (String name : elf.needed()) {
                String fileName = Path.of(name).getFileName().toString();
                if (!done.add(fileName)) {
                    continue;
                }
                Path[] found = libraries.get(fileName);
                if (found == null) {
                    throw new ImageException("No package provides " + name + ", needed by the image's programs."
                            + " Add the package holding it to the recipe's 'packages'.");
                }
                pending.add(addWithLinks(image, found[0], found[1]));
            }
        }
    }

    /**
     * The program interpreter must be at its exact path ({@code /lib64/ld-linux-x86-64.so.2}), or below {@code /usr}
     * where a merged-/usr package has it ({@code /usr/lib64/ld-linux-loongarch-lp64d.so.1} in sid's libc6): the image's
     * {@code /lib64} is a link to {@code /usr/lib64}.
     */
    private Path addInterpreter(Initramfs image, String path) throws IOException {
        for (String inPackage : List.of(path.substring(1), "usr" + path)) {
            for (PackageFiles pkg : packages) {
                Path candidate = pkg.root().resolve(inPackage);
                if (Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
                    return addWithLinks(image, pkg.root(), candidate);
                }
            }
        }
        throw new ImageException("No package provides the program interpreter " + path
                + ". Add libc6 (or the package holding it) to the recipe's 'packages'.");
    }

    /** Adds the file and every symbolic link on its way; returns the real file. */
    private static Path addWithLinks(Initramfs image, Path root, Path file) throws IOException {
        Path current = file;
        for (int hops = 0; hops < 10; hops++) {
            String inImage = root.relativize(current).toString();
            if (!Files.isSymbolicLink(current)) {
                if (!image.contains(inImage)) {
                    image.copy(inImage, current);
                }
                return current;
            }
            image.copy(inImage, current);
            Path target = Files.readSymbolicLink(current);
            current = target.isAbsolute()
                    ? root.resolve(target.toString().substring(1))
                    : current.resolveSibling(target).normalize();
        }
        throw new ImageException("Too many symbolic links resolving " + file);
    }
}
