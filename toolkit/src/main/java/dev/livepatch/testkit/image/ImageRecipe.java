package dev.livepatch.testkit.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A guest image recipe from {@code guest-images/<name>/}: {@code recipe.properties} (packages, kernel modules,
 * kernel arguments, an optional parent recipe) and a {@code rootfs/} folder copied over the packages' files.
 *
 * @param name the recipe's folder name
 * @param packages Debian packages whose files go into the image (their libraries are resolved from ELF)
 * @param modules kernel modules to load at boot, dependencies first
 * @param kernelArguments extra kernel command-line arguments
 * @param overlays folders whose files are copied into the image root, parents first
 */
public record ImageRecipe(
        String name, List<String> packages, List<String> modules, String kernelArguments, List<Path> overlays) {

    public static ImageRecipe load(Path recipesDir, String name) {
        return load(recipesDir, name, new ArrayList<>());
    }

    private static ImageRecipe load(Path recipesDir, String name, List<String> loading) {
        if (loading.contains(name)) {
            throw new ImageException("Guest image recipes extend each other in a cycle: "
                    + String.join(" -> ", loading.subList(loading.indexOf(name), loading.size())) + " -> " + name);
        }
        Path dir = recipesDir.resolve(name);
        Path file = dir.resolve("recipe.properties");
        if (!Files.isRegularFile(file)) {
            throw new ImageException("No guest image recipe '" + name + "' (" + file + " is missing). Available: "
                    + available(recipesDir));
        }
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
        String parentName = properties.getProperty("extends", "").strip();
        loading.add(name);
        ImageRecipe parent = parentName.isEmpty() ? null : load(recipesDir, parentName, loading);
        Set<String> packages = new LinkedHashSet<>(parent == null ? List.of() : parent.packages());
        packages.addAll(words(properties.getProperty("packages", "")));
        Set<String> modules = new LinkedHashSet<>(parent == null ? List.of() : parent.modules());
        modules.addAll(words(properties.getProperty("modules", "")));
        String arguments = ((parent == null ? "" : parent.kernelArguments()) + " "
                        + properties.getProperty("kernel.arguments", ""))
                .strip();
        List<Path> overlays = new ArrayList<>(parent == null ? List.of() : parent.overlays());
        if (Files.isDirectory(dir.resolve("rootfs"))) {
            overlays.add(dir.resolve("rootfs"));
        }
        return new ImageRecipe(name, List.copyOf(packages), List.copyOf(modules), arguments, List.copyOf(overlays));
    }

    static String available(Path recipesDir) {
        try (Stream<Path> dirs = Files.list(recipesDir)) {
            return String.join(
                    ", ",
                    dirs.filter(d -> Files.isRegularFile(d.resolve("recipe.properties")))
                            .map(d -> d.getFileName().toString())
                            .sorted()
                            .toList());
        } catch (IOException e) {
            return "none (" + recipesDir + " cannot be read)";
        }
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split("[\\s,]+")).filter(w -> !w.isBlank()).toList();
    }
}
