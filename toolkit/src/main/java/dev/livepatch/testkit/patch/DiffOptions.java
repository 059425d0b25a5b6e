package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How {@code klp-build} turns a source diff into a livepatch module.
 *
 * @param name the patch name: the module is {@code livepatch-<name>.ko}, its sysfs name {@code livepatch_<name>};
 *     empty for klp-build's own choice, the diff's file name without its extension
 * @param replace whether the patch atomically replaces every patch before it (klp-build's default) or stacks on them
 *     ({@code --no-replace})
 */
@API(status = STABLE, since = "0.2")
public record DiffOptions(Optional<String> name, boolean replace) {
    public static DiffOptions defaults() {
        return new DiffOptions(Optional.empty(), true);
    }

    public DiffOptions named(String newName) {
        return new DiffOptions(Optional.of(newName), replace);
    }

    /** Stacks on the patches before it instead of replacing them ({@code --no-replace}). */
    public DiffOptions noReplace() {
        return new DiffOptions(name, false);
    }
}
