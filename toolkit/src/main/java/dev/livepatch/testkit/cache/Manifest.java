package dev.livepatch.testkit.cache;

import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a complete cache entry holds: every file with its size and SHA-256, every symbolic link with its target.
 * Written once when the entry is made; a later check finds a file that went missing, was truncated or was
 * overwritten (a partly zeroed snapshot keeps its size, so only the content hash tells).
 */
record Manifest(List<Item> items) {
    private static final String FILE = "f";
    private static final String LINK = "l";

    Manifest {
        items = List.copyOf(items);
    }

    /** One file ({@code digest} set) or symbolic link ({@code linkTarget} set), by its path inside the entry. */
    record Item(String path, long size, String digest, String linkTarget) {}

    static Manifest of(Path folder) throws IOException {
        List<Item> items = new ArrayList<>();
        for (Path path : walk(folder)) {
            String name = folder.relativize(path).toString();
            if (name.contains("\t") || name.contains("\n")) {
                throw new IOException("Cannot list a file name with a tab or newline in a manifest: " + path);
            }
            BasicFileAttributes attributes =
                    Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isSymbolicLink()) {
                items.add(new Item(name, 0, null, Files.readSymbolicLink(path).toString()));
            } else if (attributes.isRegularFile()) {
                items.add(new Item(name, attributes.size(), Sha256.of(path).hex(), null));
            }
        }
        return new Manifest(items);
    }

    static Optional<Manifest> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        List<Item> items = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.split("\t", -1);
            if (fields[0].equals(FILE) && fields.length == 4) {
                items.add(new Item(fields[3], Long.parseLong(fields[1]), fields[2], null));
            } else if (fields[0].equals(LINK) && fields.length == 3) {
                items.add(new Item(fields[2], 0, null, fields[1]));
            } else {
                throw new IOException("Unreadable line in the manifest " + file + ": " + line);
            }
        }
        return Optional.of(new Manifest(items));
    }

    /** Writes the manifest under a temporary name first, so that a reader sees all of it or none. */
    void write(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Item item : items) {
            if (item.linkTarget() != null) {
                text.append(LINK).append('\t').append(item.linkTarget());
            } else {
                text.append(FILE).append('\t').append(item.size()).append('\t').append(item.digest());
            }
            text.append('\t').append(item.path()).append('\n');
        }
        Files.createDirectories(file.getParent());
        Path temporary = file.resolveSibling(
                file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The result of {@link #inspect}: what sizes and links show to be wrong, else the entry's fingerprint. */
    record Inspection(Optional<String> problem, String fingerprint) {}

    /**
     * One pass over the files' attributes, without reading content: a missing, resized or relinked file is a problem;
     * otherwise the fingerprint covers what changes whenever a file's content may have changed (size, modification
     * time, inode), so that equal fingerprints mean the content hashes need not be read again.
     */
    Inspection inspect(Path folder) {
        Sha256 fingerprint = new Sha256();
        for (Item item : items) {
            Path path = folder.resolve(item.path());
            try {
                BasicFileAttributes attributes =
                        Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                Optional<String> problem = problem(item, path, attributes);
                if (problem.isPresent()) {
                    return new Inspection(problem, "");
                }
                String line = item.path() + "\t" + attributes.size() + "\t" + attributes.lastModifiedTime() + "\t"
                        + attributes.fileKey() + "\n";
                fingerprint.add(line);
            } catch (NoSuchFileException e) {
                return new Inspection(Optional.of(item.path() + " is missing"), "");
            } catch (IOException e) {
                return new Inspection(Optional.of(item.path() + " is unreadable: " + e.getMessage()), "");
            }
        }
        return new Inspection(Optional.empty(), fingerprint.hex());
    }

    private static Optional<String> problem(Item item, Path path, BasicFileAttributes attributes) throws IOException {
        if (item.linkTarget() != null) {
            if (!attributes.isSymbolicLink()
                    || !Files.readSymbolicLink(path).toString().equals(item.linkTarget())) {
                return Optional.of(item.path() + " is no longer a link to " + item.linkTarget());
            }
        } else if (!attributes.isRegularFile()) {
            return Optional.of(item.path() + " is no longer a regular file");
        } else if (attributes.size() != item.size()) {
            return Optional.of(item.path() + " has " + attributes.size() + " bytes instead of " + item.size());
        }
        return Optional.empty();
    }

    /** The first file whose content differs from what was written; reads every file. */
    Optional<String> contentProblem(Path folder) {
        for (Item item : items) {
            if (item.digest() == null) {
                continue;
            }
            try {
                if (!Sha256.of(folder.resolve(item.path())).hex().equals(item.digest())) {
                    return Optional.of(item.path() + " has other content than was written (its SHA-256 differs)");
                }
            } catch (IOException e) {
                return Optional.of(item.path() + " is unreadable: " + e.getMessage());
            }
        }
        return Optional.empty();
    }

    private static List<Path> walk(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            return paths.filter(path -> !path.equals(folder)).sorted().toList();
        }
    }
}
