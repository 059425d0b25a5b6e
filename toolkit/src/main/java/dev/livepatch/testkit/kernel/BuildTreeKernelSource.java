package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.progress.Progress;
import org.apiguardian.api.API;

/** Kernel build trees someone already built ({@code --kernel-dir}, or a path as the spec). */
@API(status = INTERNAL, since = "0.2")
public final class BuildTreeKernelSource implements KernelSource {
    @Override
    public boolean supports(KernelSpec spec) {
        return spec instanceof KernelSpec.BuildTree;
    }

    @Override
    public Kernel resolve(KernelSpec spec, Arch arch, Cache cache, Progress progress) {
        return BuildTreeKernel.open(((KernelSpec.BuildTree) spec).dir());
    }
}
