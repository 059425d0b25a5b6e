package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * An object a patch changes: {@code vmlinux} or a module, loaded or not.
 *
 * @param name {@code vmlinux} or the module name
 * @param patched the kernel's {@code patched} attribute (since 6.1): whether the object's functions are redirected
 *     now; absent on older kernels
 * @param functions the functions it replaces
 */
@API(status = STABLE, since = "0.1")
public record PatchedObject(String name, Optional<Boolean> patched, List<PatchedFunction> functions) {

    public PatchedObject {
        functions = List.copyOf(functions);
    }

    public boolean patches(String function) {
        return functions.stream().anyMatch(candidate -> candidate.name().equals(function));
    }
}
