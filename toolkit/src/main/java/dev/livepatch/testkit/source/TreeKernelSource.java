package dev.livepatch.testkit.source;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSource;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.progress.Progress;
import org.apiguardian.api.API;

/** Kernels the toolkit builds from a source tree ({@code source:<tree>}, {@code source:debian:<suite>}). */
@API(status = INTERNAL, since = "0.2")
public final class TreeKernelSource implements KernelSource {
    @Override
    public boolean supports(KernelSpec spec) {
        return spec.isSourceTree();
    }

    @Override
    public Kernel resolve(KernelSpec spec, Arch arch, Cache cache, Progress progress) {
        return SourceKernels.build(spec, arch, cache, progress);
    }
}
