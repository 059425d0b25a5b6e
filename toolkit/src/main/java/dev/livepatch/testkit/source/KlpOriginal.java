package dev.livepatch.testkit.source;

import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * Records a tree's current build as klp-build's original build, as its first step would ({@code copy_orig_objects}
 * in {@code scripts/livepatch/klp-build}): {@code vmlinux.o}, the object of each module below the top folder and
 * {@code vmlinux} into {@code klp-tmp/1-orig}, then the timestamp that later builds are compared against. klp-build
 * then starts at its second step ({@code -S 2}), so a tree is built once, not once more by klp-build's own
 * {@code make clean} and full build, and its livepatches are diffed against the very kernel the guest boots.
 */
final class KlpOriginal {
    static final String TMP = "klp-tmp";
    private static final String ORIGINAL = TMP + "/1-orig";
    private static final String BUILD_MARK = ".testkit-build";
    private static final String SYMVERS = "Module.symvers";

    private KlpOriginal() {}

    /** Records the tree's build {@code buildId} as the original, unless it already is. */
    static void record(Path tree, String buildId) {
        Path original = tree.resolve(ORIGINAL);
        try {
            if (isRecorded(tree, buildId)) {
                return;
            }
            Folders.deleteRecursively(original);
            Files.createDirectories(original);
            for (String object : objects(tree)) {
                Path target = original.resolve(object);
                Files.createDirectories(target.getParent());
                Files.copy(tree.resolve(object), target, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.copy(tree.resolve("vmlinux"), original.resolve("vmlinux"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(tree.resolve(SYMVERS), original.resolve(SYMVERS), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(original.resolve("build.log"), "");
            Files.writeString(tree.resolve(TMP).resolve("timestamp"), "");
            Files.writeString(original.resolve(BUILD_MARK), buildId + "\n", StandardCharsets.UTF_8);
            Files.writeString(original.resolve(".complete"), "");
        } catch (IOException e) {
            throw new KernelException(
                    "Could not record the build of " + tree + " as klp-build's original build in " + original + ": "
                            + e.getMessage(),
                    e);
        }
    }

    static boolean isRecorded(Path tree, String buildId) throws IOException {
        Path original = tree.resolve(ORIGINAL);
        Path mark = original.resolve(BUILD_MARK);
        return Files.isRegularFile(original.resolve(".complete"))
                && Files.isRegularFile(original.resolve(SYMVERS))
                && Files.isRegularFile(mark)
                && Files.readString(mark).strip().equals(buildId);
    }

    /**
     * The exported symbols whose CRC klp-build's patched build changed, as {@code symbol (module): old -> new}, when
     * the tree builds with {@code CONFIG_MODVERSIONS} (without it every CRC is 0).
     */
    static List<String> changedSymbolVersions(Path tree) throws IOException {
        Path now = tree.resolve(SYMVERS);
        if (!Files.isRegularFile(now)
                || Files.readAllLines(tree.resolve(".config")).stream().noneMatch("CONFIG_MODVERSIONS=y"::equals)) {
            return List.of();
        }
        return SymbolVersions.read(tree.resolve(ORIGINAL).resolve(SYMVERS)).changedIn(SymbolVersions.read(now));
    }

    /**
     * Puts the original build's {@code Module.symvers} back: klp-build's patched build rewrites it, and modules built
     * against the tree afterwards must carry the CRCs of the kernel the guest boots.
     */
    static void restoreSymbolVersions(Path tree) throws IOException {
        Files.copy(tree.resolve(ORIGINAL).resolve(SYMVERS), tree.resolve(SYMVERS), StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * klp-build's {@code find_objects}: {@code vmlinux.o} and, for each {@code .ko} below the top folder (outside
     * {@code klp-tmp} and {@code .git}), its {@code .o}; paths relative to the tree.
     */
    static List<String> objects(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            return files.filter(file -> !file.startsWith(tree.resolve(TMP)) && !file.startsWith(tree.resolve(".git")))
                    .filter(Files::isRegularFile)
                    .map(file -> tree.relativize(file).toString())
                    .filter(path -> path.equals("vmlinux.o") || (path.endsWith(".ko") && path.contains("/")))
                    .map(path -> path.endsWith(".ko") ? path.substring(0, path.length() - 3) + ".o" : path)
                    .sorted()
                    .toList();
        }
    }
}
