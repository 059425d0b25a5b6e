package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.livepatch.PatchStack;
import dev.livepatch.testkit.livepatch.PatchState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/** Assertions on the patches in a guest, bottom (first loaded) to top. */
@API(status = STABLE, since = "0.1")
public class PatchStackAssert extends AbstractAssert<PatchStackAssert, PatchStack> {

    PatchStackAssert(PatchStack actual) {
        super(actual, PatchStackAssert.class);
    }

    public PatchStackAssert contains(String... names) {
        isNotNull();
        for (String name : names) {
            if (!actual.contains(name)) {
                failWithMessage("Expected patch '%s' in /sys/kernel/livepatch but found %s", name, actual.names());
            }
        }
        return this;
    }

    /** The patches are gone: never loaded, disabled and freed, or replaced by an atomic-replace patch. */
    public PatchStackAssert doesNotContain(String... names) {
        isNotNull();
        for (String name : names) {
            if (actual.contains(name)) {
                failWithMessage(
                        "Expected patch '%s' to be gone from /sys/kernel/livepatch but it is there: %s",
                        name, actual.find(name).orElseThrow().summary());
            }
        }
        return this;
    }

    public PatchStackAssert isEmpty() {
        isNotNull();
        if (!actual.patches().isEmpty()) {
            failWithMessage("Expected no livepatch but found %s", actual.names());
        }
        return this;
    }

    /** Exactly these patches, bottom to top. */
    public PatchStackAssert hasOrder(String... names) {
        isNotNull();
        if (!actual.names().equals(List.of(names))) {
            failWithMessage("Expected the patch stack %s (bottom to top) but found %s", List.of(names), actual.names());
        }
        return this;
    }

    public PatchStackAssert hasOnTop(String name) {
        isNotNull();
        Optional<String> top = actual.top().map(PatchState::name);
        if (!top.equals(Optional.of(name))) {
            failWithMessage(
                    "Expected patch '%s' on top of the stack but found %s (bottom to top)", name, actual.names());
        }
        return this;
    }

    public PatchStackAssert hasNoTransition() {
        isNotNull();
        actual.inTransition()
                .ifPresent(patch -> failWithMessage(
                        "Expected no transition but patch '%s' is in its %s transition",
                        patch.name(), patch.transitionKind()));
        return this;
    }

    /** {@code patch}'s version of the function is the one that runs (the topmost enabled patch replacing it). */
    public PatchStackAssert hasFunctionOwner(String object, String function, String patch) {
        isNotNull();
        Optional<String> owner = actual.owner(object, function).map(PatchState::name);
        if (!owner.equals(Optional.of(patch))) {
            failWithMessage(
                    "Expected patch '%s' to own %s in '%s' but %s",
                    patch,
                    function,
                    object,
                    owner.map(name -> "'" + name + "' does").orElse("no patch does"));
        }
        return this;
    }

    /**
     * These patches have {@code stack_order} 1, 2, 3... in this order: the kernel numbers the patches bottom to top
     * and renumbers them when one leaves. Needs the {@code stack_order} attribute (kernel 6.14 and later).
     */
    public PatchStackAssert hasStackOrder(String... names) {
        contains(names);
        List<String> expected = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            PatchState patch = actual.find(names[i]).orElseThrow();
            if (patch.stackOrder().isEmpty()) {
                failWithMessage(
                        "Cannot check the stack order of patch '%s': the guest's kernel has no 'stack_order'"
                                + " attribute (added in 6.14)",
                        patch.name());
            }
            expected.add(names[i] + "=" + (i + 1));
            shown.add(names[i] + "=" + patch.stackOrder().get());
        }
        if (!shown.equals(expected)) {
            failWithMessage("Expected stack_order %s but sysfs shows %s", expected, shown);
        }
        return this;
    }

    /** Assertions on one patch of the stack. */
    public PatchStateAssert patch(String name) {
        contains(name);
        return new PatchStateAssert(actual.find(name).orElseThrow());
    }
}
