package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Real kbuild tests need make and the kernel's gcc: skipped without them locally, failed without them in CI. */
public final class KbuildPrerequisite {
    private KbuildPrerequisite() {}

    /** Debian's packaged kernel (downloaded into the standard cache if needed), once make and its gcc are present. */
    public static Kernel debianKernel() {
        requireProgram("make");
        Kernel kernel = Kernels.resolve("debian", Cache.standard(), Progress.silent());
        requireProgram(KernelCompiler.parse(kernel.compiler()).program());
        return kernel;
    }

    public static void requireProgram(String program) {
        boolean present =
                Stream.of(System.getenv("PATH").split(":")).anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
        if (!present && Settings.prerequisitesRequired()) {
            fail(program + " is not installed, and CI requires the kbuild tests to run");
        }
        assumeTrue(present, program + " is not installed");
    }
}
