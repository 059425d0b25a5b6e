package dev.livepatch.testkit.kbuild;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.Kernel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** The kbuild command that builds a project's modules for a kernel, cross-compiling for a kernel of another arch. */
@API(status = INTERNAL, since = "0.3")
public final class KbuildArch {
    private KbuildArch() {}

    /**
     * {@code make -C <build dir> M=<project> -jN modules}, with {@code ARCH=} and {@code CROSS_COMPILE=} for a kernel
     * of another architecture than this host's.
     */
    public static List<String> modulesCommand(Kernel kernel, Path buildDir, Path project, int jobs) {
        List<String> command = new ArrayList<>(List.of("make", "-C", buildDir.toString(), "M=" + project));
        Arch arch = kernel.arch();
        if (!arch.isHost()) {
            command.addAll(List.of("ARCH=" + arch.kernelArch(), "CROSS_COMPILE=" + arch.crossCompile()));
        }
        command.addAll(List.of("-j" + jobs, "modules"));
        return command;
    }
}
