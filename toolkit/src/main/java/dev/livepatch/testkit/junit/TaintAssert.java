package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.livepatch.Taint;
import dev.livepatch.testkit.livepatch.TaintFlag;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

/** Assertions on the kernel's taint flags. */
@API(status = STABLE, since = "0.1")
public class TaintAssert extends AbstractAssert<TaintAssert, Taint> {

    TaintAssert(Taint actual) {
        super(actual, TaintAssert.class);
    }

    public TaintAssert has(TaintFlag... flags) {
        isNotNull();
        for (TaintFlag flag : flags) {
            if (!actual.has(flag)) {
                failWithMessage(
                        "Expected the kernel to be tainted %s ('%s': %s) but its taint is %s",
                        flag, flag.letter(), flag.meaning(), actual.describe());
            }
        }
        return this;
    }

    public TaintAssert doesNotHave(TaintFlag... flags) {
        isNotNull();
        for (TaintFlag flag : flags) {
            if (actual.has(flag)) {
                failWithMessage(
                        "Expected the kernel not to be tainted %s but its taint is %s", flag, actual.describe());
            }
        }
        return this;
    }

    public TaintAssert isUntainted() {
        isNotNull();
        if (actual.isTainted()) {
            failWithMessage("Expected an untainted kernel but its taint is %s", actual.describe());
        }
        return this;
    }
}
