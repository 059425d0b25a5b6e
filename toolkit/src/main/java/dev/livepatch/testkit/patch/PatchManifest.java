package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/** Reads a patch folder's {@code patch.properties}: {@code name}, {@code kind}, {@code description}, {@code includes}. */
@API(status = INTERNAL, since = "0.1")
public final class PatchManifest {
    static final String FILE_NAME = "patch.properties";
    private static final Pattern MODULE_NAME = Pattern.compile("[A-Za-z0-9_]+");

    private PatchManifest() {}

    public static PatchSource read(Path directory) {
        Path file = directory.resolve(FILE_NAME);
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read the manifest " + file + ": " + e.getMessage(), e);
        }
        return parse(directory, properties);
    }

    static PatchSource parse(Path directory, Properties properties) {
        Path file = directory.resolve(FILE_NAME);
        String folder = directory.getFileName().toString();
        String name = required(properties, "name", file);
        if (!MODULE_NAME.matcher(name).matches()) {
            throw new ModuleBuildException(file + ": name '" + name + "' is not a valid module name;"
                    + " use letters, digits and underscores only.");
        }
        if (!name.equals(folder)) {
            throw new ModuleBuildException(file + ": name '" + name + "' differs from its folder '" + folder
                    + "'; rename the folder or the module so that both are the same.");
        }
        return new PatchSource(
                name,
                kind(required(properties, "kind", file), file),
                required(properties, "description", file),
                directory,
                includes(properties.getProperty("includes", ""), name, file));
    }

    private static PatchKind kind(String value, Path file) {
        try {
            return PatchKind.valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ModuleBuildException(
                    file + ": kind '" + value + "' is unknown; use 'livepatch' or 'fixture'.", e);
        }
    }

    private static List<String> includes(String value, String name, Path file) {
        List<String> includes = Arrays.stream(value.split(","))
                .map(String::strip)
                .filter(include -> !include.isEmpty())
                .toList();
        for (String include : includes) {
            if (!MODULE_NAME.matcher(include).matches() || include.equals(name)) {
                throw new ModuleBuildException(file + ": includes names '" + include
                        + "', which is not another patch folder; list sibling folder names, comma-separated.");
            }
        }
        return includes;
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key, "").strip();
        if (value.isEmpty()) {
            throw new ModuleBuildException(file + " lacks '" + key + "'; a manifest needs name, kind"
                    + " (livepatch or fixture) and description.");
        }
        return value;
    }
}
