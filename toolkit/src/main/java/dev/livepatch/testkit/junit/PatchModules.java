package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.DiffOptions;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The test class's patches folder ({@link LivepatchTest#patches()}, else {@code livepatch.patches.dir}) built for the
 * kernel of its guest (cached by content).
 */
@API(status = STABLE, since = "0.1")
public interface PatchModules {

    /** Builds one patch or fixture module, e.g. {@code lpt_cmdline}. */
    default BuiltModule build(String name) {
        return build(List.of(name)).get(0);
    }

    /** Builds several in one kbuild run, in the order given. */
    List<BuiltModule> build(List<String> names);

    /**
     * Builds a livepatch from a source diff ({@code patch -p1}; a relative path is taken from the project folder) with the {@code klp-build} of the source tree the
     * guest's kernel was built from ({@code source:<tree>}, Linux 6.19 and later): {@code livepatch-<diff name>.ko},
     * atomically replacing the patches before it. Cached by (kernel build, diff, options).
     */
    default BuiltModule fromDiff(Path diff) {
        return fromDiff(diff, DiffOptions.defaults());
    }

    /** Like {@link #fromDiff(Path)}, with a name of its own or stacking ({@link DiffOptions#noReplace()}). */
    @API(status = EXPERIMENTAL, since = "0.2")
    BuiltModule fromDiff(Path diff, DiffOptions options);
}
