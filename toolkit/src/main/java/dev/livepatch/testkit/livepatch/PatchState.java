package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A livepatch as {@code /sys/kernel/livepatch/<name>} shows it at one moment. Attributes that the guest's kernel
 * does not have are absent rather than guessed.
 *
 * @param name the patch name, which is its module's name
 * @param enabled the {@code enabled} attribute
 * @param inTransition the {@code transition} attribute: this patch is the one the kernel is switching tasks to or
 *     from
 * @param replace the {@code replace} attribute (kernel 6.11 and later): an atomic-replace (cumulative) patch
 * @param stackOrder the {@code stack_order} attribute (kernel 6.14 and later): 1-based position in the stack
 * @param objects the objects it patches
 */
@API(status = STABLE, since = "0.1")
public record PatchState(
        String name,
        boolean enabled,
        boolean inTransition,
        Optional<Boolean> replace,
        Optional<Integer> stackOrder,
        List<PatchedObject> objects) {

    public PatchState {
        objects = List.copyOf(objects);
    }

    public Optional<PatchedObject> object(String objectName) {
        return objects.stream()
                .filter(object -> object.name().equals(objectName))
                .findFirst();
    }

    /** {@code patching} or {@code unpatching}: where a transition of this patch leads. */
    public String transitionKind() {
        return enabled ? "patching" : "unpatching";
    }

    /** One line for messages, e.g. {@code lpt_a enabled=1 transition=0 replace=1 objects=[vmlinux]}. */
    public String summary() {
        return name + " enabled=" + (enabled ? 1 : 0) + " transition=" + (inTransition ? 1 : 0)
                + replace.map(value -> " replace=" + (value ? 1 : 0)).orElse("")
                + stackOrder.map(value -> " stack_order=" + value).orElse("")
                + " objects=" + objects.stream().map(PatchedObject::name).toList();
    }
}
