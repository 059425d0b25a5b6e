package dev.livepatch.testkit.build;

import static org.apiguardian.api.API.Status.DEPRECATED;

import dev.livepatch.testkit.module.KernelModule;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.patch.PatchSource;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * Where {@link dev.livepatch.testkit.patch.BuiltModule} was before 0.1.0: every built module is one of these, so code
 * that names this type keeps compiling and running.
 *
 * @deprecated moved to {@link dev.livepatch.testkit.patch.BuiltModule}; this alias goes in the next release.
 */
@Deprecated(since = "0.1.0", forRemoval = true)
@API(status = DEPRECATED, since = "0.1.0")
public interface BuiltModule {
    PatchSource source();

    Path ko();

    ModInfo modInfo();

    boolean fromCache();

    String name();

    KernelModule module();

    /** This module as the type it moved to. */
    default dev.livepatch.testkit.patch.BuiltModule moved() {
        return (dev.livepatch.testkit.patch.BuiltModule) this;
    }
}
