package dev.livepatch.testkit.source;

import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Every file of a kernel tree with its size and modification time: what {@code make} decides by. Two equal listings
 * mean {@code make} would find the same work to do. klp-build's folder, {@code .git} and the toolkit's build state
 * are left out: they are not the build's.
 */
record TreeListing(SortedMap<String, Stamp> files) {
    private static final Set<String> LEFT_OUT = Set.of(KlpOriginal.TMP, ".git", TreeState.FILE, TreeState.PARTIAL);

    /** A file's size and modification time in nanoseconds. */
    record Stamp(long size, long modified) {}

    TreeListing {
        files = new TreeMap<>(files);
    }

    static TreeListing of(Path root) {
        SortedMap<String, Stamp> files = new TreeMap<>();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                    return dir.getParent() != null
                                    && dir.getParent().equals(root)
                                    && LEFT_OUT.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    String path = root.relativize(file).toString();
                    if (!LEFT_OUT.contains(path)) {
                        files.put(
                                path,
                                new Stamp(
                                        attributes.size(),
                                        attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS)));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new KernelException("Could not list the kernel tree " + root + ": " + e.getMessage(), e);
        }
        return new TreeListing(files);
    }

    /** A hash of every path, size and modification time. */
    String fingerprint() {
        Sha256 hash = new Sha256();
        files.forEach((path, stamp) -> hash.add(path + "\0" + stamp.size() + "\0" + stamp.modified() + "\n"));
        return hash.prefix(32);
    }

    /** The paths added, removed or with another size or modification time in this listing than in {@code before}. */
    Set<String> changedSince(TreeListing before) {
        Set<String> changed = new TreeSet<>();
        for (Map.Entry<String, Stamp> file : files.entrySet()) {
            if (!file.getValue().equals(before.files.get(file.getKey()))) {
                changed.add(file.getKey());
            }
        }
        for (String path : before.files.keySet()) {
            if (!files.containsKey(path)) {
                changed.add(path);
            }
        }
        return changed;
    }

    /**
     * Whether {@code path} is something kbuild makes rather than a source: a target with its {@code .NAME.cmd}
     * record beside it, a {@code .cmd} record itself, a link's {@code .tmp_} file or {@code System.map}, or what
     * {@code syncconfig} generates under {@code include/config} and {@code include/generated}.
     */
    boolean isBuildOutput(String path) {
        Path file = Path.of(path);
        String name = file.getFileName().toString();
        Path folder = file.getParent();
        String record = "." + name + ".cmd";
        return name.endsWith(".cmd")
                || name.startsWith(".tmp_")
                || path.equals("System.map")
                || path.startsWith("include/config/")
                || path.startsWith("include/generated/")
                || files.containsKey(
                        folder == null ? record : folder.resolve(record).toString());
    }
}
