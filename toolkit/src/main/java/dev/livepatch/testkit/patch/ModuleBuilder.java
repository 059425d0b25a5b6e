package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.kernel.Kernel;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Builds patches into modules for a kernel with kbuild. Every module is cached by its content (sources, kernel
 * release, compiler, backend), so an unchanged patch is never rebuilt; all modules that need building are built in
 * one kbuild run. Each module is checked before it is returned: it is built for the kernel's release, and it is a
 * livepatch exactly when its manifest says so.
 */
@API(status = INTERNAL, since = "0.1")
public interface ModuleBuilder {
    /** The backend running kbuild: {@code native} or {@code container}. */
    String backend();

    /**
     * Builds (or finds in the cache) one module per source, in the order given.
     *
     * @throws ModuleBuildException when kbuild fails (with the compiler's messages about the patches' own files and
     *     the full log) or a module does not pass its checks
     */
    List<BuiltModule> build(Kernel kernel, List<PatchSource> sources);

    default BuiltModule build(Kernel kernel, PatchSource source) {
        return build(kernel, List.of(source)).get(0);
    }
}
