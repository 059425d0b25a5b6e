package dev.livepatch.testkit.source;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * A Linux source tree to build in place (klp-build refuses {@code O=} builds, and the kernel the guest boots must be
 * the one klp-build diffs against).
 *
 * @param root the tree's top folder, a real path
 * @param origin where it came from, for messages, e.g. {@code Debian sid linux-source-7.2 7.2.13-1}
 * @param gccMajor the gcc major version to build it with
 * @param arch the architecture it is built for: another than this host's is cross-built ({@code ARCH=},
 *     {@code CROSS_COMPILE=})
 */
@API(status = INTERNAL, since = "0.2")
public record KernelTree(Path root, String origin, int gccMajor, Arch arch) {
    private static final List<String> LANDMARKS = List.of("Makefile", "Kconfig", "arch/x86/Kconfig", "scripts/kconfig");

    /** A tree built for x86_64. */
    public KernelTree(Path root, String origin, int gccMajor) {
        this(root, origin, gccMajor, Arch.X86_64);
    }

    /**
     * What every command in the tree needs in its environment: nothing for this host's architecture, {@code ARCH} and
     * {@code CROSS_COMPILE} for another.
     */
    Map<String, String> environment() {
        return arch.isHost() ? Map.of() : Map.of("ARCH", arch.kernelArch(), "CROSS_COMPILE", arch.crossCompile());
    }

    /** The tree at {@code path}, refused with what is missing when it is not a kernel tree. */
    static Path requireTree(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new KernelException("Kernel source tree " + absolute + " does not exist. Give --kernel"
                    + " source:<the top folder of a Linux source tree>, or source:debian:sid for Debian's.");
        }
        for (String landmark : LANDMARKS) {
            if (!Files.exists(absolute.resolve(landmark), LinkOption.NOFOLLOW_LINKS)) {
                throw new KernelException(absolute + " is not a Linux source tree: it has no " + landmark + ". Give"
                        + " --kernel source:<the top folder of a Linux source tree> (where 'make' is run).");
            }
        }
        try {
            return absolute.toRealPath();
        } catch (IOException e) {
            throw new KernelException("Could not resolve the kernel source tree " + absolute, e);
        }
    }

    /**
     * Whether the tree ships {@code scripts/livepatch/klp-build} (Linux 6.19 and later) and is built for x86_64, the
     * only architecture klp-build supports.
     */
    boolean hasKlpBuild() {
        return arch.equals(Arch.X86_64) && Files.isExecutable(root.resolve("scripts/livepatch/klp-build"));
    }

    Path config() {
        return root.resolve(".config");
    }

    /** Where the tree came from and where it is, e.g. {@code Debian sid linux-source-7.2 7.2.13-1 (/cache/...)}. */
    public String describe() {
        String where = " (" + root + ")";
        return origin.equals(root.toString()) || origin.endsWith(where) ? origin : origin + where;
    }
}
