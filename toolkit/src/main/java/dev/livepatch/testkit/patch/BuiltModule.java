package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.module.KernelModule;
import dev.livepatch.testkit.module.ModInfo;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A module built from a patch (or found in the cache), checked against the kernel it was built for.
 *
 * @param source the patch it was built from
 * @param ko the module file, inside the cache
 * @param modInfo the module's {@code .modinfo}
 * @param fromCache whether it came from the cache, without running kbuild
 */
@API(status = STABLE, since = "0.1")
@SuppressWarnings("removal") // implements the alias of its old package, which code naming that type still uses
public record BuiltModule(PatchSource source, Path ko, ModInfo modInfo, boolean fromCache)
        implements dev.livepatch.testkit.build.BuiltModule {

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public KernelModule module() {
        return new KernelModule(ko, modInfo);
    }
}
