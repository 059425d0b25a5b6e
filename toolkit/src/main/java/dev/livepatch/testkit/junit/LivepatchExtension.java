package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.config.Property;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Machine;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/** The extension behind {@link LivepatchTest}. Settings come from JUnit configuration parameters, then Settings. */
final class LivepatchExtension
        implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, TestWatcher, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LivepatchExtension.class);
    private static final Set<Class<?>> INJECTED = Set.of(
            Guest.class, GuestShell.class, Livepatches.class, Kernel.class, GuestImage.class, PatchModules.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        Optional<String> unavailable = provider(context).unavailableReason();
        if (unavailable.isEmpty()) {
            return ConditionEvaluationResult.enabled("guests can start here");
        }
        if (setting(context, Settings.REQUIRE) || Settings.prerequisitesRequired()) {
            throw new ExtensionConfigurationException("Guests are required here (" + Settings.REQUIRE.name()
                    + "=true or CI=true) but cannot start: " + unavailable.get());
        }
        return ConditionEvaluationResult.disabled("Guests cannot start: " + unavailable.get() + "; set "
                + Settings.REQUIRE.name() + "=true to fail instead of skipping");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        classGuest(context).guest();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        classGuest(context).prepareForTest();
    }

    /** Also called when a {@code @BeforeEach} or {@code @AfterEach} method failed, unlike the execution callbacks. */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        ClassGuest classGuest = classGuest(context);
        if (classGuest.isUp()) {
            FailureReport.publish(context, classGuest.guest(), classGuest.livepatches());
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTED.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        ClassGuest classGuest = classGuest(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Kernel.class) {
            return classGuest.started().kernel();
        }
        if (type == GuestImage.class) {
            return classGuest.started().image();
        }
        if (type == PatchModules.class) {
            return classGuest.patchModules();
        }
        if (type == Livepatches.class) {
            return classGuest.handOutLivepatches();
        }
        Guest guest = classGuest.handOut();
        return type == GuestShell.class ? guest.shell() : guest;
    }

    private static ClassGuest classGuest(ExtensionContext context) {
        GuestRequest request = request(context);
        GuestProvider provider = provider(context);
        ExtensionContext owner = annotatedClassContext(context);
        return owner.getStore(NAMESPACE)
                .computeIfAbsent(
                        new StoreKey(provider.getClass(), request),
                        key -> ClassGuest.start(provider, request),
                        ClassGuest.class);
    }

    static GuestRequest request(ExtensionContext context) {
        Optional<LivepatchTest> annotation = annotation(context);
        String kernel = annotation
                .map(LivepatchTest::kernel)
                .filter(value -> !value.isEmpty())
                .orElseGet(() -> setting(context, Settings.KERNEL));
        String image = annotation
                .map(LivepatchTest::image)
                .filter(value -> !value.isEmpty())
                .orElseGet(() -> setting(context, Settings.IMAGE));
        int cpus = annotation
                .map(LivepatchTest::cpus)
                .filter(value -> value > 0)
                .orElseGet(() -> setting(context, Settings.CPUS));
        int memory = annotation
                .map(LivepatchTest::memoryMib)
                .filter(value -> value > 0)
                .orElseGet(() -> setting(context, Settings.MEMORY_MIB));
        return new GuestRequest(kernel, image, new Machine(cpus, memory));
    }

    private static GuestProvider provider(ExtensionContext context) {
        Class<? extends GuestProvider> type =
                annotation(context).map(LivepatchTest::provider).orElse(QemuGuestProvider.class);
        return ReflectionSupport.newInstance(type);
    }

    private static Optional<LivepatchTest> annotation(ExtensionContext context) {
        return context.getTestClass().flatMap(LivepatchExtension::annotation);
    }

    private static Optional<LivepatchTest> annotation(Class<?> type) {
        for (Class<?> current = type; current != null; current = current.getEnclosingClass()) {
            Optional<LivepatchTest> found = AnnotationSupport.findAnnotation(current, LivepatchTest.class);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The context of the outermost class in the chain: its store outlives every test of the class. */
    private static ExtensionContext annotatedClassContext(ExtensionContext context) {
        ExtensionContext owner = context;
        for (ExtensionContext current = context;
                current.getParent().isPresent();
                current = current.getParent().get()) {
            if (current.getTestClass().isPresent() && current.getTestMethod().isEmpty()) {
                owner = current;
            }
        }
        return owner;
    }

    private static <T> T setting(ExtensionContext context, Property<T> property) {
        return context.getConfigurationParameter(property.name())
                .map(property::parse)
                .orElseGet(property::get);
    }

    private record StoreKey(Class<?> provider, GuestRequest request) {}
}
