package dev.livepatch.testkit.deb;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apiguardian.api.API;
import org.tukaani.xz.XZInputStream;

/** Reads a {@code .deb} (an ar archive holding {@code data.tar.*}) without dpkg. */
@API(status = INTERNAL, since = "0.1")
public final class DebArchive {
    private DebArchive() {}

    /**
     * Unpacks the package's files below {@code target}, keeping modes, symbolic and hard links.
     *
     * @param include which archive paths (without the leading {@code ./}) to unpack
     */
    public static void extract(Path deb, Path target, Predicate<String> include) {
        try (InputStream data = openData(deb);
                TarArchiveInputStream tar = new TarArchiveInputStream(data)) {
            Path root =
                    Files.createDirectories(target.toAbsolutePath().normalize()).toRealPath();
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = normalize(entry.getName());
                if (name.isEmpty() || !include.test(name)) {
                    continue;
                }
                Path path = root.resolve(name).normalize();
                if (!path.startsWith(root) || !insideThroughLinks(root, path.getParent())) {
                    throw new DebException("Refusing entry outside the target folder in " + deb + ": " + name);
                }
                if (entry.isLink()
                        && !root.resolve(normalize(entry.getLinkName()))
                                .normalize()
                                .startsWith(root)) {
                    throw new DebException("Refusing a hard link to outside the target folder in " + deb + ": " + name
                            + " -> " + entry.getLinkName());
                }
                write(tar, entry, root, path);
            }
        } catch (IOException e) {
            throw new DebException("Could not unpack " + deb + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether {@code folder} stays inside {@code root} (a real path) once the symbolic links unpacked so far are
     * followed: an
     * entry below a link to elsewhere would otherwise be written there. The deepest existing ancestor decides,
     * as what is missing below it is created as plain folders.
     */
    private static boolean insideThroughLinks(Path root, Path folder) throws IOException {
        Path existing = folder;
        while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        return existing != null && existing.toRealPath().startsWith(root);
    }

    private static void write(TarArchiveInputStream tar, TarArchiveEntry entry, Path root, Path path)
            throws IOException {
        Files.createDirectories(path.getParent());
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            setMode(path, entry.getMode() | 0700);
        } else if (entry.isSymbolicLink()) {
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
        } else if (entry.isLink()) {
            Files.deleteIfExists(path);
            Files.createLink(path, root.resolve(normalize(entry.getLinkName())));
        } else if (entry.isFile()) {
            Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
            setMode(path, entry.getMode() | 0600);
        }
    }

    /** Streams the package's data member, decompressed. */
    static InputStream openData(Path deb) throws IOException {
        InputStream file = new BufferedInputStream(Files.newInputStream(deb), 1 << 16);
        file.mark(8);
        byte[] signature = file.readNBytes(8);
        file.reset();
        if (!ArArchiveInputStream.matches(signature, signature.length)) {
            file.close();
            throw new DebException(deb + " is not a Debian package: it is not an ar archive."
                    + " Delete it so that it is downloaded again.");
        }
        ArArchiveInputStream ar = new ArArchiveInputStream(file);
        ArArchiveEntry member;
        while ((member = ar.getNextEntry()) != null) {
            String name = member.getName();
            if (name.startsWith("data.tar")) {
                return decompress(name, ar, deb);
            }
        }
        ar.close();
        throw new DebException(deb + " is not a Debian package: it has no data.tar member");
    }

    private static InputStream decompress(String member, InputStream in, Path deb) throws IOException {
        if (member.endsWith(".xz")) {
            return new XZInputStream(in);
        }
        if (member.endsWith(".gz")) {
            return new GZIPInputStream(in, 1 << 16);
        }
        if (member.endsWith(".zst")) {
            return new ZstdCompressorInputStream(in);
        }
        if (member.equals("data.tar")) {
            return in;
        }
        in.close();
        throw new DebException(
                "Unsupported compression " + member + " in " + deb + " (xz, zstd, gzip and none are read)");
    }

    static String normalize(String name) {
        String result = name;
        while (result.startsWith("./") || result.startsWith("/")) {
            result = result.substring(result.startsWith("./") ? 2 : 1);
        }
        return result.endsWith("/") ? result.substring(0, result.length() - 1) : result;
    }

    static void setMode(Path path, int mode) throws IOException {
        if (Files.isSymbolicLink(path)) {
            return;
        }
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = {
            PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
            PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
        };
        for (int bit = 0; bit < order.length; bit++) {
            if ((mode & (1 << bit)) != 0) {
                permissions.add(order[bit]);
            }
        }
        Files.getFileAttributeView(
                        path, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setPermissions(permissions);
    }
}
