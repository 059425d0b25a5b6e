package dev.livepatch.testkit.kbuild;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ExecResult;
import java.io.OutputStream;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * Where {@code make -C <kernel build dir> M=<project> modules} runs: on the host or in a container.
 * The builder around it stages sources, caches results and checks the outputs; a runner only runs kbuild.
 */
@API(status = INTERNAL, since = "0.1")
public interface KbuildRunner {
    /** A short name for messages and cache keys: {@code native} or {@code container}. */
    String name();

    /** The compiler identification as kbuild will see it, e.g. {@code gcc (Debian 12.2.0-14) 12.2.0}. */
    String compilerVersion(Kernel kernel);

    /** Runs kbuild's {@code modules} target for the staged project; output is also copied to {@code log}. */
    ExecResult runModules(Kernel kernel, Path projectDir, int jobs, OutputStream log);
}
