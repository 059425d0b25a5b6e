package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.progress.Progress;
import org.apiguardian.api.API;

/** Debian's packaged kernels ({@code debian}, {@code debian:<suite or abi>}). */
@API(status = INTERNAL, since = "0.2")
public final class DebianKernelSource implements KernelSource {
    @Override
    public boolean supports(KernelSpec spec) {
        return spec instanceof KernelSpec.Debian;
    }

    @Override
    public Kernel resolve(KernelSpec spec, Arch arch, Cache cache, Progress progress) {
        PackagedKernelArch.require((KernelSpec.Debian) spec, arch);
        String which = ((KernelSpec.Debian) spec).which();
        return new DebianKernels(cache, progress).acquire(which.isEmpty() ? null : which);
    }
}
