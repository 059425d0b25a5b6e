package dev.livepatch.testkit.module;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The modules a kernel ships, found where a module name is not a patch folder, by the name {@code modprobe} takes ({@code binfmt_misc}, {@code snd-hda-intel}),
 * as plain {@code .ko} files ready to upload: a compressed one is kept uncompressed in the cache.
 */
@API(status = INTERNAL, since = "0.2")
public final class ShippedModules {
    private static final String AREA = "shipped-modules";

    private final Kernel kernel;
    private final Cache cache;

    public ShippedModules(Kernel kernel, Cache cache) {
        this.kernel = kernel;
        this.cache = cache;
    }

    /** The kernel's module named {@code name}, refused with where it looked when there is none. */
    public KernelModule find(String name) {
        Path file = locate(name);
        if (file.getFileName().toString().endsWith(".ko")) {
            return KernelModule.read(file);
        }
        String key;
        try {
            key = ModuleFiles.moduleName(name) + "-" + Sha256.of(file).prefix(16);
        } catch (IOException e) {
            throw new ModuleException("Could not read the module " + file, e);
        }
        Path entry = cache.computeIfAbsent(
                AREA,
                key,
                "the kernel's module " + name + ", uncompressed",
                folder -> Files.write(folder.resolve(ModuleFiles.uncompressedName(file)), ModuleFiles.read(file)));
        return KernelModule.read(entry.resolve(ModuleFiles.uncompressedName(file)));
    }

    private Path locate(String name) {
        String wanted = ModuleFiles.moduleName(name);
        List<Path> found;
        try (Stream<Path> files = Files.walk(kernel.modulesDir())) {
            found = files.filter(Files::isRegularFile)
                    .filter(ModuleFiles::isModule)
                    .filter(file -> ModuleFiles.moduleName(file).equals(wanted))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new ModuleException("Could not look for module " + name + " in " + kernel.modulesDir(), e);
        }
        if (found.isEmpty()) {
            throw new ModuleException("No patch folder is named " + name + ", and kernel " + kernel.release()
                    + " ships no module of that name (looked in " + kernel.modulesDir() + "; it may be built into the"
                    + " kernel or not configured). Give a folder of the patches folder, a built .ko or the name of a"
                    + " module the kernel ships.");
        }
        return found.get(0);
    }
}
