package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.source.SourceKernels;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Turns a kernel spec into a ready {@link Kernel}: {@code debian} (the host release's packaged kernel),
 * {@code debian:<suite>} (a Debian suite's current kernel, e.g. {@code debian:sid}), {@code debian:<abi>} (a given
 * Debian kernel ABI, e.g. {@code debian:6.1.0-56-amd64}), {@code source:<tree>} or {@code source:debian:<suite>} (a
 * kernel source tree, built by the toolkit), or the path of a kernel build tree.
 */
@API(status = INTERNAL, since = "0.1")
public final class Kernels {
    private Kernels() {}

    /** A kernel spec and the kernel it names today. */
    public record Offered(String spec, String release, String from) {}

    /** The Debian kernel specs and the kernel each names today, without downloading any kernel. */
    public static List<Offered> offered(Cache cache, Progress progress) {
        return new DebianKernels(cache, progress).offered();
    }

    /**
     * The apt that offers Debian's {@code linux-source-<major.minor>} for this kernel and that package's name:
     * preferably the suite whose source version is the kernel's own package version, else any that has the series.
     */
    public static SourcePackage debianSource(Kernel kernel, Cache cache, Progress progress) {
        return new DebianSuites(cache, progress).findSource(kernel);
    }

    /** Debian's {@code linux-source-<major.minor>} of a suite's current kernel, e.g. {@code sid}. */
    public static SourcePackage debianSuiteSource(String suite, Cache cache, Progress progress) {
        return new DebianSuites(cache, progress).suiteSource(suite);
    }

    /** Debian's kernel source package for a kernel and the apt that offers it. */
    public record SourcePackage(Apt apt, String name, String version, String where) {}

    public static Kernel resolve(String spec, Cache cache, Progress progress) {
        if (SourceKernels.isSourceSpec(spec)) {
            return SourceKernels.build(spec, cache, progress);
        }
        if (spec.equals("debian") || spec.startsWith("debian:")) {
            String release = spec.contains(":") ? spec.substring(spec.indexOf(':') + 1) : null;
            return new DebianKernels(cache, progress).acquire(release);
        }
        return BuildTreeKernel.open(Path.of(spec));
    }
}
