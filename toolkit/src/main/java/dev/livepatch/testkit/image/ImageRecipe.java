package dev.livepatch.testkit.image;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * A guest image recipe from a folder {@code <name>/}: {@code recipe.properties} (packages, kernel modules, kernel
 * arguments, an optional parent recipe) and a {@code rootfs/} folder copied over the packages' files. Recipes are
 * looked up in several folders, the first holding the name wins: a project's own recipes add to and override the
 * toolkit's.
 *
 * @param name the recipe's folder name
 * @param packages Debian packages whose files go into the image (their libraries are resolved from ELF)
 * @param modules kernel modules to load at boot, dependencies first
 * @param kernelArguments extra kernel command-line arguments
 * @param overlays folders whose files are copied into the image root, parents first
 */
@API(status = INTERNAL, since = "0.1")
public record ImageRecipe(
        String name, List<String> packages, List<String> modules, String kernelArguments, List<Path> overlays) {
    private static final String RECIPE_FILE = "recipe.properties";

    /** The recipe {@code name} from the first of {@code folders} that has it; a parent is looked up the same way. */
    public static ImageRecipe load(List<Path> folders, String name) {
        return load(folders, name, new ArrayList<>());
    }

    private static ImageRecipe load(List<Path> folders, String name, List<String> loading) {
        if (loading.contains(name)) {
            throw new ImageException("Guest image recipes extend each other in a cycle: "
                    + String.join(" -> ", loading.subList(loading.indexOf(name), loading.size())) + " -> " + name);
        }
        Path dir = folders.stream()
                .map(folder -> folder.resolve(name))
                .filter(candidate -> Files.isRegularFile(candidate.resolve(RECIPE_FILE)))
                .findFirst()
                .orElseThrow(() -> new ImageException("No guest image recipe '" + name + "' in "
                        + folders.stream().map(Path::toString).collect(Collectors.joining(" or ")) + ". Available: "
                        + available(folders) + ". A recipe is a folder <name>/ with a " + RECIPE_FILE + "; give the"
                        + " folder of your own recipes with " + Settings.IMAGES_DIR.name() + "."));
        Path file = dir.resolve(RECIPE_FILE);
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (IOException e) {
            throw new ImageException("Could not read the guest image recipe " + file, e);
        }
        String parentName = properties.getProperty("extends", "").strip();
        loading.add(name);
        ImageRecipe parent = parentName.isEmpty() ? null : load(folders, parentName, loading);
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

    static String available(List<Path> folders) {
        Set<String> names = new TreeSet<>();
        for (Path folder : folders) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            try (Stream<Path> dirs = Files.list(folder)) {
                dirs.filter(d -> Files.isRegularFile(d.resolve(RECIPE_FILE)))
                        .map(d -> d.getFileName().toString())
                        .forEach(names::add);
            } catch (IOException e) {
                throw new ImageException("Cannot list the guest image recipes in " + folder, e);
            }
        }
        return names.isEmpty() ? "none" : String.join(", ", names);
    }

    private static List<String> words(String text) {
        return Arrays.stream(text.split("[\\s,]+")).filter(w -> !w.isBlank()).toList();
    }
}
