package dev.livepatch.testkit.image;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/**
 * The guest image recipes that ship inside the toolkit ({@code minimal}, {@code selftest}), copied once into the
 * cache as plain folders, keyed by their content. A jar keeps no file modes, so a {@code rootfs/} file that starts
 * with {@code #!} is made executable there.
 */
final class BundledRecipes {
    static final String AREA = "recipes";
    private static final String RESOURCE = "recipes";
    private static final String MARKER = RESOURCE + "/minimal/recipe.properties";

    private BundledRecipes() {}

    /** The folder holding one subfolder per bundled recipe. */
    static Path folder(Cache cache) {
        return folder(cache, BundledRecipes.class.getResource(MARKER));
    }

    /** The recipes beside {@code marker}, the minimal recipe's properties, in a folder or a jar. */
    static Path folder(Cache cache, URL marker) {
        if (marker == null) {
            throw new ImageException("The toolkit's own guest image recipes are missing from its classpath ("
                    + BundledRecipes.class.getPackageName().replace('.', '/') + "/" + MARKER + "); the toolkit's"
                    + " jar is incomplete: rebuild or download it again");
        }
        try {
            URI uri = marker.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return materialize(cache, Path.of(uri).getParent().getParent());
            }
            // A file system of this call's own: one registered for the jar's URI would be shared with, and closed
            // under, classes starting guests on other threads.
            String location = uri.getSchemeSpecificPart();
            int separator = location.indexOf("!/");
            Path jarFile = Path.of(URI.create(location.substring(0, separator)));
            try (FileSystem jar = FileSystems.newFileSystem(jarFile)) {
                return materialize(
                        cache,
                        jar.getPath(location.substring(separator + 1))
                                .getParent()
                                .getParent());
            }
        } catch (URISyntaxException | IOException e) {
            throw new ImageException("Cannot read the toolkit's own guest image recipes at " + marker, e);
        }
    }

    private static Path materialize(Cache cache, Path recipes) throws IOException {
        List<Path> files = files(recipes);
        String key = hash(recipes, files);
        return cache.computeIfAbsent(AREA, key, "the toolkit's guest image recipes", folder -> {
            for (Path file : files) {
                Path target = folder.resolve(recipes.relativize(file).toString());
                Files.createDirectories(target.getParent());
                try (InputStream in = Files.newInputStream(file)) {
                    Files.copy(in, target);
                }
                if (executable(recipes.relativize(file).toString(), target)) {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
        });
    }

    private static boolean executable(String relative, Path copy) throws IOException {
        if (!relative.contains("/rootfs/")) {
            return false;
        }
        try (InputStream in = Files.newInputStream(copy)) {
            byte[] start = in.readNBytes(2);
            return start.length == 2 && start[0] == '#' && start[1] == '!';
        }
    }

    private static List<Path> files(Path recipes) throws IOException {
        try (Stream<Path> walk = Files.walk(recipes)) {
            return walk.filter(Files::isRegularFile)
                    .sorted((a, b) -> recipes.relativize(a)
                            .toString()
                            .compareTo(recipes.relativize(b).toString()))
                    .toList();
        }
    }

    private static String hash(Path recipes, List<Path> files) throws IOException {
        Sha256 hash = new Sha256();
        for (Path file : files) {
            hash.add(recipes.relativize(file).toString()).add((byte) 0).add(file);
        }
        return hash.prefix(16);
    }
}
