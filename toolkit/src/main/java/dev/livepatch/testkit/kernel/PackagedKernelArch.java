package dev.livepatch.testkit.kernel;

import dev.livepatch.testkit.config.Arch;

/**
 * Debian builds its packaged kernels with {@code CONFIG_LIVEPATCH} on for amd64 only: a packaged kernel for another
 * architecture is refused before anything is downloaded, with the source build that works instead.
 */
final class PackagedKernelArch {
    private PackagedKernelArch() {}

    static void require(KernelSpec.Debian spec, Arch arch) {
        if (arch.equals(Arch.X86_64)) {
            return;
        }
        String suite = spec.which().matches("[a-z]+(-[a-z]+)?") ? spec.which() : "sid";
        throw new KernelException("Debian's packaged kernels cannot be livepatched on " + arch + ": livepatch is off"
                + " (CONFIG_LIVEPATCH is not set) in Debian's kernel configuration for " + arch.debian() + ", as for"
                + " every architecture but amd64. Build Debian's kernel source for " + arch + " instead: --arch " + arch
                + " --kernel source:debian:" + suite + " (source:debian:<suite> works for a suite whose kernel offers"
                + " livepatch on " + arch + ").");
    }
}
