package dev.livepatch.testkit.junit;

import java.util.Optional;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One run of a {@link LivepatchTest} class on one kernel, shown as {@code <class> on <kernel>}; the tests below it
 * find the kernel in the store.
 */
record KernelInvocation(String testClass, String kernel) implements ClassTemplateInvocationContext {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(KernelInvocation.class);

    @Override
    public String getDisplayName(int invocationIndex) {
        return testClass + " on " + kernel;
    }

    @Override
    public void prepareInvocation(ExtensionContext context) {
        context.getStore(NAMESPACE).put(KernelInvocation.class, kernel);
    }

    /** The kernel of the invocation that {@code context} belongs to, if it belongs to one. */
    static Optional<String> of(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(KernelInvocation.class, String.class));
    }
}
