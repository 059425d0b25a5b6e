package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.progress.Progress;
import java.util.List;
import java.util.ServiceLoader;
import org.apiguardian.api.API;

/**
 * Turns a {@link KernelSpec} into a ready {@link Kernel}, through the {@link KernelSource} of its kind: Debian's
 * packaged kernels here, source trees in the {@code source} package above, found at run time.
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
        return resolve(KernelSpec.parse(spec), cache, progress);
    }

    /** The kernel {@code spec} names for the architecture of {@link Settings#ARCH}. */
    public static Kernel resolve(KernelSpec spec, Cache cache, Progress progress) {
        return resolve(spec, Settings.ARCH.get(), cache, progress);
    }

    /** The kernel {@code spec} names for {@code arch}, from the {@link KernelSource} that makes its kind. */
    public static Kernel resolve(KernelSpec spec, Arch arch, Cache cache, Progress progress) {
        for (KernelSource source : ServiceLoader.load(KernelSource.class, Kernels.class.getClassLoader())) {
            if (source.supports(spec)) {
                return source.resolve(spec, arch, cache, progress);
            }
        }
        throw new KernelException("No kernel source on the class path makes '" + spec + "': the toolkit's jar lists"
                + " them in META-INF/services/" + KernelSource.class.getName() + "; is it whole?");
    }
}
