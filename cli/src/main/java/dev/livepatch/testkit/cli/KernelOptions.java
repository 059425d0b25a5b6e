package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.source.SourceKernels;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Which kernel to use: {@code --kernel debian} (default), another Debian kernel, a source tree ({@code --kernel
 * source:<tree>}), or {@code --kernel-dir <build tree>}.
 */
final class KernelOptions {
    @Option(
            names = "--kernel",
            paramLabel = "SPEC",
            description = "Kernel spec: 'debian' (the host release's packaged kernel), 'debian:<suite or abi>',"
                    + " 'source:<tree>' or 'source:debian:<suite>' (a kernel source tree, built by the toolkit).")
    String kernel;

    @Option(names = "--kernel-dir", paramLabel = "PATH", description = "A kernel build tree to use instead.")
    String kernelDir;

    String spec() {
        if (kernelDir != null) {
            return kernelDir;
        }
        return kernel != null ? kernel : Settings.KERNEL.get();
    }

    /** The spec that names exactly {@code kernel} again, e.g. {@code debian:6.1.0-56-amd64}. */
    String pinnedSpec(Kernel kernel) {
        if (kernelDir != null) {
            return Path.of(kernelDir).toAbsolutePath().toString();
        }
        String spec = spec();
        if (SourceKernels.isSourceSpec(spec)) {
            String tree = spec.substring(SourceKernels.PREFIX.length());
            return tree.startsWith("debian:") ? spec : SourceKernels.PREFIX + kernel.buildDir();
        }
        return "debian:" + kernel.release();
    }

    /** Options that name exactly {@code kernel} again later, e.g. {@code --kernel debian:6.1.0-56-amd64}. */
    List<String> pinning(Kernel kernel) {
        return List.of(kernelDir != null ? "--kernel-dir" : "--kernel", pinnedSpec(kernel));
    }

    Kernel resolve(Progress progress) {
        return resolve(spec(), progress);
    }

    static Kernel resolve(String spec, Progress progress) {
        return Kernels.resolve(spec, Cache.standard(), progress);
    }
}
