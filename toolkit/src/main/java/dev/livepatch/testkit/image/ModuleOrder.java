package dev.livepatch.testkit.image;

import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.module.ModuleFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Kernel modules to load at boot and their load order, from each module's {@code depends=} modinfo (the packaged
 * kernel ships no {@code modules.dep}; depmod makes it at install time). Modules may be compressed; a module the
 * kernel's {@code modules.builtin} lists is built in, so there is nothing to load.
 */
final class ModuleOrder {
    static final String OPTIONAL = "?";
    private final Path modulesDir;
    private final Map<String, Path> byName = new HashMap<>();
    private final Set<String> builtIn = new HashSet<>();

    ModuleOrder(Path modulesDir) {
        this.modulesDir = modulesDir;
        try (Stream<Path> files = Files.walk(modulesDir)) {
            files.filter(f -> Files.isRegularFile(f) && ModuleFiles.isModule(f))
                    .forEach(f -> byName.putIfAbsent(ModuleFiles.moduleName(f), f));
            Path builtInList = modulesDir.resolve("modules.builtin");
            if (Files.isRegularFile(builtInList)) {
                Files.readAllLines(builtInList).stream()
                        .filter(line -> !line.isBlank())
                        .forEach(line -> builtIn.add(ModuleFiles.moduleName(Path.of(line.strip()))));
            }
        } catch (IOException e) {
            throw new ImageException("Could not list kernel modules in " + modulesDir, e);
        }
    }

    /**
     * The module files to load, every dependency before its users. A name ending in {@code ?} is optional: left out
     * when this kernel has no such module.
     */
    List<Path> resolve(List<String> wanted) {
        Set<Path> ordered = new LinkedHashSet<>();
        for (String name : wanted) {
            boolean optional = name.endsWith(OPTIONAL);
            String module = ModuleFiles.moduleName(optional ? name.substring(0, name.length() - 1) : name);
            if (!optional || byName.containsKey(module)) {
                visit(module, ordered, new ArrayList<>());
            }
        }
        return List.copyOf(ordered);
    }

    Path relative(Path module) {
        return modulesDir.relativize(module);
    }

    private void visit(String name, Set<Path> ordered, List<String> chain) {
        Path file = byName.get(name);
        if (file == null && builtIn.contains(name)) {
            return;
        }
        if (file == null) {
            List<String> neededBy = new ArrayList<>(chain);
            Collections.reverse(neededBy);
            throw new ImageException("Kernel module " + name + " is not in " + modulesDir
                    + (chain.isEmpty() ? "" : " (needed by " + String.join(" <- ", neededBy) + ")")
                    + ". It may be built into this kernel: remove it from the recipe's 'modules'.");
        }
        if (ordered.contains(file)) {
            return;
        }
        if (chain.contains(name)) {
            throw new ImageException("Kernel modules in " + modulesDir + " depend on each other in a cycle: "
                    + String.join(" -> ", chain.subList(chain.indexOf(name), chain.size())) + " -> " + name);
        }
        chain.add(name);
        for (String dependency : depends(file)) {
            visit(ModuleFiles.moduleName(dependency), ordered, chain);
        }
        chain.remove(chain.size() - 1);
        ordered.add(file);
    }

    private static List<String> depends(Path module) {
        return ModInfo.read(module).depends();
    }
}
