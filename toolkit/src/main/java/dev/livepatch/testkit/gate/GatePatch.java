package dev.livepatch.testkit.gate;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/** What a gate checks: a module source folder, a built {@code .ko}, or a source diff for the kernel's klp-build. */
@API(status = STABLE, since = "0.2")
public sealed interface GatePatch {
    Path path();

    /** The kind of {@code path}: a {@code .patch}/{@code .diff} file, a {@code .ko} file, or a folder of sources. */
    static GatePatch of(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        if (name.endsWith(".patch") || name.endsWith(".diff")) {
            return new SourceDiff(path);
        }
        if (name.endsWith(".ko")) {
            return new ModuleFile(path);
        }
        if (Files.isDirectory(path)) {
            return new ModuleFolder(path);
        }
        throw new GateException(path + " is neither a module source folder (as in patches/), a built .ko file nor a"
                + " source diff (.patch or .diff)" + (Files.exists(path) ? "" : ": it does not exist") + ".");
    }

    /** A folder with a module's C sources and its {@code patch.properties}, built with kbuild for each kernel. */
    record ModuleFolder(Path path) implements GatePatch {}

    /** A built module, whose vermagic must be the kernel's. */
    record ModuleFile(Path path) implements GatePatch {}

    /** A source diff, made into a livepatch by the klp-build of a kernel built from source by the toolkit. */
    record SourceDiff(Path path) implements GatePatch {}

    /**
     * A module the kernel ships, by the name {@code modprobe} takes (e.g. {@code binfmt_misc}), uploaded from the
     * kernel's modules.
     */
    record ShippedModule(String name) implements GatePatch {
        /** Its name, as a path for messages. */
        @Override
        public Path path() {
            return Path.of(name);
        }
    }
}
