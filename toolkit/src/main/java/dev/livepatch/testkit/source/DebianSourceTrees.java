package dev.livepatch.testkit.source;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.deb.DebArchive;
import dev.livepatch.testkit.deb.DebPackage;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Debian's {@code linux-source-<major.minor>} of a suite's current kernel, unpacked once into the cache as a tree of
 * its own ({@code source-trees/}). It is a working tree, built in place, so it is not a checked cache entry: a
 * marker written last tells a complete unpack from an interrupted one, which is unpacked again.
 */
final class DebianSourceTrees {
    static final String AREA = "source-trees";
    private static final String COMPLETE = ".testkit-unpacked";

    /** The gcc each suite's kernels are built with. */
    private static final Map<String, Integer> GCC_BY_SUITE =
            Map.of("bookworm", 12, "bookworm-backports", 12, "trixie", 14, "sid", 16, "experimental", 16);

    private DebianSourceTrees() {}

    /**
     * The suite's tree for {@code arch}: a tree builds in place, for one architecture, so each architecture but
     * x86_64 has a tree of its own ({@code linux-source-7.2-7.2.13-1-arm64}).
     */
    static KernelTree fetch(String suite, Arch arch, Cache cache, Progress progress) {
        Kernels.SourcePackage source = Kernels.debianSuiteSource(suite, cache, progress);
        String key = source.name() + "-" + source.version().replaceAll("[^A-Za-z0-9.+-]", "_")
                + (arch.equals(Arch.X86_64) ? "" : "-" + arch.name());
        Path tree = cache.root().resolve(AREA).resolve(key);
        if (!Files.isRegularFile(tree.resolve(COMPLETE))) {
            try (EntryLock lock = cache.lock(AREA, key, "the kernel source tree " + source.name())) {
                if (!Files.isRegularFile(tree.resolve(COMPLETE))) {
                    unpack(source, tree, key, progress);
                }
            }
        }
        return new KernelTree(KernelTree.requireTree(tree), origin(source), GCC_BY_SUITE.get(suite), arch);
    }

    /** A fresh copy of the suite's source tree in {@code target} (which must not exist), to build for {@code arch}. */
    static KernelTree unpackFresh(String suite, Arch arch, Path target, Cache cache, Progress progress) {
        Kernels.SourcePackage source = Kernels.debianSuiteSource(suite, cache, progress);
        unpack(source, target, target.getFileName().toString(), progress);
        return new KernelTree(KernelTree.requireTree(target), origin(source), GCC_BY_SUITE.get(suite), arch);
    }

    private static String origin(Kernels.SourcePackage source) {
        return "Debian " + source.where() + " " + source.name() + " " + source.version();
    }

    private static void unpack(Kernels.SourcePackage source, Path tree, String key, Progress progress) {
        DebPackage deb = source.apt().download(List.of(source.name())).get(0);
        try {
            Path area = Files.createDirectories(tree.getParent());
            Folders.deleteRecursively(tree);
            Path partial = Files.createTempDirectory(area, "." + key + ".partial-");
            progress.run("Unpacking " + source.name() + " " + source.version(), step -> {
                Path tarball = Files.createTempDirectory(partial, "deb-");
                DebArchive.extract(deb.file(), tarball, name -> name.endsWith(".tar.xz"));
                Path archive;
                try (var files = Files.walk(tarball)) {
                    archive = files.filter(f -> f.toString().endsWith(".tar.xz"))
                            .findFirst()
                            .orElseThrow(() -> new IOException(deb.file() + " holds no source tarball"));
                }
                Path unpacked = partial.resolve("tree");
                untar(archive, unpacked, step);
                Folders.deleteRecursively(tarball);
                Files.writeString(unpacked.resolve(COMPLETE), source.name() + " " + source.version() + "\n");
                Files.move(unpacked, tree, StandardCopyOption.ATOMIC_MOVE);
            });
            Folders.deleteRecursively(partial);
        } catch (IOException e) {
            throw new KernelException("Could not unpack " + deb.file() + " into " + tree + ": " + e.getMessage(), e);
        }
    }

    /** Unpacks the tarball's single top folder as {@code target}, keeping executable bits and symbolic links. */
    private static void untar(Path archive, Path target, Progress.Step step) throws IOException {
        int files = 0;
        try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16));
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = entry.getName();
                int slash = name.indexOf('/');
                if (slash < 0 || slash == name.length() - 1) {
                    continue;
                }
                Path path = target.resolve(name.substring(slash + 1)).normalize();
                if (!path.startsWith(target)) {
                    throw new IOException("The source tarball names a path outside its tree: " + name);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(path);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(path.getParent());
                    Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(path.getParent());
                    Files.copy(tar, path);
                    if ((entry.getMode() & 0100) != 0) {
                        path.toFile().setExecutable(true);
                    }
                    if (++files % 5000 == 0) {
                        step.update(files + " files");
                    }
                }
            }
        }
    }
}
