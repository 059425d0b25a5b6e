package dev.livepatch.testkit.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveOutputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;

/**
 * The guest's root filesystem as it is being assembled: a sorted map of paths to entries, written as an
 * uncompressed cpio newc archive (the kernel unpacks it fastest that way; it is read once per cold boot).
 * The layout is merged-/usr like Debian's: {@code /bin}, {@code /sbin}, {@code /lib} and {@code /lib64} are
 * links into {@code /usr}, so a program is found at both of its traditional paths.
 */
final class Initramfs {
    private static final List<String> MERGED = List.of("bin", "sbin", "lib", "lib64");

    private final Map<String, Node> nodes = new TreeMap<>();

    Initramfs() {
        for (String top : MERGED) {
            nodes.put("usr/" + top, new Directory(0755));
            nodes.put(top, new Symlink("usr/" + top));
        }
        nodes.put("usr", new Directory(0755));
    }

    sealed interface Node permits Directory, File, Symlink {}

    record Directory(int mode) implements Node {}

    record File(Path source, byte[] content, int mode) implements Node {}

    record Symlink(String target) implements Node {}

    void directory(String path, int mode) {
        String normalized = normalize(path);
        if (normalized.isEmpty()) {
            return;
        }
        parents(normalized);
        nodes.put(normalized, new Directory(mode));
    }

    void file(String path, Path source, int mode) {
        put(path, new File(source, null, mode));
    }

    void file(String path, byte[] content, int mode) {
        put(path, new File(null, content, mode));
    }

    void symlink(String path, String target) {
        put(path, new Symlink(target));
    }

    boolean contains(String path) {
        return nodes.containsKey(normalize(path));
    }

    /** Adds a file or symbolic link from the host, keeping its kind and mode. */
    void copy(String path, Path source) throws IOException {
        if (Files.isSymbolicLink(source)) {
            symlink(path, Files.readSymbolicLink(source).toString());
        } else if (Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            directory(path, 0755);
        } else {
            int mode = (int) Files.getAttribute(source, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
            file(path, source, mode);
        }
    }

    void write(Path target) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(target), 1 << 20);
                CpioArchiveOutputStream cpio = new CpioArchiveOutputStream(out, CpioConstants.FORMAT_NEW)) {
            for (Map.Entry<String, Node> entry : nodes.entrySet()) {
                writeEntry(cpio, entry.getKey(), entry.getValue());
            }
        }
    }

    private static void writeEntry(CpioArchiveOutputStream cpio, String path, Node node) throws IOException {
        CpioArchiveEntry entry = new CpioArchiveEntry(CpioConstants.FORMAT_NEW, path);
        entry.setTime(0);
        entry.setNumberOfLinks(node instanceof Directory ? 2 : 1);
        byte[] content;
        long type;
        if (node instanceof Directory directory) {
            content = new byte[0];
            type = CpioConstants.C_ISDIR | directory.mode();
        } else if (node instanceof Symlink symlink) {
            content = symlink.target().getBytes(StandardCharsets.UTF_8);
            type = CpioConstants.C_ISLNK | 0777;
        } else {
            File file = (File) node;
            content = file.content() != null ? file.content() : Files.readAllBytes(file.source());
            type = CpioConstants.C_ISREG | file.mode();
        }
        entry.setMode(type);
        entry.setSize(content.length);
        cpio.putArchiveEntry(entry);
        cpio.write(content);
        cpio.closeArchiveEntry();
    }

    private void put(String path, Node node) {
        String normalized = normalize(path);
        parents(normalized);
        nodes.put(normalized, node);
    }

    private void parents(String path) {
        int slash = path.lastIndexOf('/');
        while (slash > 0) {
            String parent = path.substring(0, slash);
            nodes.putIfAbsent(parent, new Directory(0755));
            slash = parent.lastIndexOf('/');
        }
    }

    static String normalize(String path) {
        String result = path;
        while (result.startsWith("/") || result.startsWith("./")) {
            result = result.substring(result.startsWith("/") ? 1 : 2);
        }
        result = result.endsWith("/") ? result.substring(0, result.length() - 1) : result;
        int slash = result.indexOf('/');
        String top = slash < 0 ? result : result.substring(0, slash);
        return MERGED.contains(top) ? "usr/" + result : result;
    }
}
