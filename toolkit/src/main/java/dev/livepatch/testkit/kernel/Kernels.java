package dev.livepatch.testkit.kernel;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;

/**
 * Turns a kernel spec into a ready {@link Kernel}: {@code debian} (the host release's packaged kernel),
 * {@code debian:<release>} (a given Debian kernel ABI, e.g. {@code debian:6.1.0-56-amd64}), or the path of a
 * kernel build tree.
 */
public final class Kernels {
    private Kernels() {}

    public static Kernel resolve(String spec, Cache cache, Progress progress) {
        if (spec.equals("debian") || spec.startsWith("debian:")) {
            String release = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : null;
            return new DebianKernels(cache, progress).acquire(release);
        }
        return BuildTreeKernel.open(Path.of(spec));
    }
}
