package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.patch.BuiltModule;
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
}
