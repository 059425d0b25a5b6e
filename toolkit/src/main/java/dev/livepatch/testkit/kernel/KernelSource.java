package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.progress.Progress;
import org.apiguardian.api.API;

/**
 * Where the kernels of one kind of {@link KernelSpec} come from. Found with {@link java.util.ServiceLoader} (as JUnit
 * finds its engines), so that this package, below the ones that build kernels from source, depends on none of them.
 * Implementations need a public no-argument constructor and a line in
 * {@code META-INF/services/dev.livepatch.testkit.kernel.KernelSource}.
 */
@API(status = INTERNAL, since = "0.2")
public interface KernelSource {
    /** Whether this source makes the kernels {@code spec} names. */
    boolean supports(KernelSpec spec);

    /** The kernel {@code spec} names for {@code arch}, acquired or built as needed. */
    Kernel resolve(KernelSpec spec, Arch arch, Cache cache, Progress progress);
}
