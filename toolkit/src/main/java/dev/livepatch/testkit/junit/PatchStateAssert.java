package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.livepatch.PatchState;
import dev.livepatch.testkit.livepatch.PatchedObject;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one patch as sysfs showed it. Attributes the kernel lacks fail with the kernel version needed. */
@API(status = STABLE, since = "0.1")
public class PatchStateAssert extends AbstractAssert<PatchStateAssert, PatchState> {

    PatchStateAssert(PatchState actual) {
        super(actual, PatchStateAssert.class);
    }

    public PatchStateAssert isEnabled() {
        isNotNull();
        if (!actual.enabled()) {
            failWithMessage("Expected patch '%s' to be enabled but it is not: %s", actual.name(), actual.summary());
        }
        return this;
    }

    /** Disabled but still present: in the middle of its unpatching transition. */
    public PatchStateAssert isDisabled() {
        isNotNull();
        if (actual.enabled()) {
            failWithMessage(
                    "Expected patch '%s' to be disabled but it is enabled: %s", actual.name(), actual.summary());
        }
        return this;
    }

    public PatchStateAssert isInTransition() {
        isNotNull();
        if (!actual.inTransition()) {
            failWithMessage(
                    "Expected patch '%s' to be in transition but it is not: %s", actual.name(), actual.summary());
        }
        return this;
    }

    public PatchStateAssert isNotInTransition() {
        isNotNull();
        if (actual.inTransition()) {
            failWithMessage(
                    "Expected patch '%s' to be out of transition but it is in its %s transition: %s",
                    actual.name(), actual.transitionKind(), actual.summary());
        }
        return this;
    }

    /** An atomic-replace patch; needs the {@code replace} attribute (kernel 6.11 and later). */
    public PatchStateAssert isReplacePatch() {
        return hasReplace(true);
    }

    public PatchStateAssert isNotReplacePatch() {
        return hasReplace(false);
    }

    private PatchStateAssert hasReplace(boolean expected) {
        isNotNull();
        if (actual.replace().isEmpty()) {
            failWithMessage(
                    "Cannot tell whether patch '%s' is a replace patch: the guest's kernel has no 'replace' attribute"
                            + " (added in 6.11)",
                    actual.name());
        }
        if (actual.replace().get() != expected) {
            failWithMessage(
                    "Expected patch '%s' to have replace=%s: %s", actual.name(), expected ? 1 : 0, actual.summary());
        }
        return this;
    }

    /** Needs the {@code stack_order} attribute (kernel 6.13 and later). */
    public PatchStateAssert hasStackOrder(int expected) {
        isNotNull();
        if (actual.stackOrder().isEmpty()) {
            failWithMessage(
                    "Cannot check the stack order of patch '%s': the guest's kernel has no 'stack_order' attribute"
                            + " (added in 6.13)",
                    actual.name());
        }
        if (actual.stackOrder().get() != expected) {
            failWithMessage(
                    "Expected patch '%s' to have stack_order %s: %s", actual.name(), expected, actual.summary());
        }
        return this;
    }

    /** The object's functions are redirected now; needs the {@code patched} attribute (kernel 6.1 and later). */
    public PatchStateAssert hasPatchedObject(String object) {
        return hasObjectPatched(object, true);
    }

    /** The object is part of the patch but not patched, e.g. a module that is not loaded. */
    public PatchStateAssert hasUnpatchedObject(String object) {
        return hasObjectPatched(object, false);
    }

    private PatchStateAssert hasObjectPatched(String object, boolean expected) {
        PatchedObject found = object(object);
        if (found.patched().isEmpty()) {
            failWithMessage(
                    "Cannot tell whether object '%s' of patch '%s' is patched: the guest's kernel has no 'patched'"
                            + " attribute (added in 6.1)",
                    object, actual.name());
        }
        if (found.patched().get() != expected) {
            failWithMessage(
                    "Expected object '%s' of patch '%s' to be %s but it is not",
                    object, actual.name(), expected ? "patched" : "unpatched");
        }
        return this;
    }

    public PatchStateAssert patchesFunction(String object, String function) {
        PatchedObject found = object(object);
        if (!found.patches(function)) {
            failWithMessage(
                    "Expected patch '%s' to replace %s in '%s' but it replaces %s",
                    actual.name(), function, object, found.functions());
        }
        return this;
    }

    private PatchedObject object(String object) {
        isNotNull();
        return actual.object(object).orElseGet(() -> {
            failWithMessage(
                    "Expected patch '%s' to have object '%s' but it has %s",
                    actual.name(),
                    object,
                    actual.objects().stream().map(PatchedObject::name).toList());
            return null;
        });
    }
}
