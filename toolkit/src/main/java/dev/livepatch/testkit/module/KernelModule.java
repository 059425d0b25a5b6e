package dev.livepatch.testkit.module;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A kernel module file and what its {@code .modinfo} says about it.
 *
 * @param path the {@code .ko} file
 * @param modInfo its {@code .modinfo} section
 */
@API(status = STABLE, since = "0.1")
public record KernelModule(Path path, ModInfo modInfo) {

    public static KernelModule read(Path path) {
        return new KernelModule(path, ModInfo.read(path));
    }

    /** The module's name: its {@code name=} entry, else the file name without {@code .ko}. */
    public String name() {
        return modInfo.name().orElseGet(() -> path.getFileName().toString().replaceFirst("\\.ko$", ""));
    }

    @Override
    public String toString() {
        return name() + " (" + path + ")";
    }
}
