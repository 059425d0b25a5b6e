package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.config.Property;
import dev.livepatch.testkit.config.SettingLayers;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Machine;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeClassTemplateInvocationCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ClassTemplateInvocationContextProvider;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * The extension behind {@link LivepatchTest}. Every setting, here and wherever the toolkit reads one during the run,
 * comes from the run's JUnit configuration parameters first, then system properties and the environment.
 */
final class LivepatchExtension
        implements ExecutionCondition,
                BeforeAllCallback,
                AfterAllCallback,
                BeforeClassTemplateInvocationCallback,
                AfterClassTemplateInvocationCallback,
                BeforeEachCallback,
                AfterEachCallback,
                ClassTemplateInvocationContextProvider,
                TestWatcher,
                ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LivepatchExtension.class);
    /** The test's own {@link Livepatches}, whose transitions are published after it. */
    private static final String TEST_LIVEPATCHES = "livepatches of the test";

    private static final Set<Class<?>> INJECTED = Set.of(
            Guest.class, GuestShell.class, Livepatches.class, Kernel.class, GuestImage.class, PatchModules.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        configure(context);
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
    public boolean supportsClassTemplate(ExtensionContext context) {
        return true;
    }

    /** One run of the class per kernel: the annotation's kernel, else {@code livepatch.kernels}, else the default. */
    @Override
    public Stream<KernelInvocation> provideClassTemplateInvocationContexts(ExtensionContext context) {
        configure(context);
        String testClass = context.getRequiredTestClass().getSimpleName();
        return kernels(context).stream().map(kernel -> new KernelInvocation(testClass, kernel));
    }

    /** Each kernel spec, parsed (an incomplete one fails the class with the grammar) and printed back. */
    static List<String> kernels(ExtensionContext context) {
        Optional<String> pinned = annotation(context).map(LivepatchTest::kernel).filter(value -> !value.isEmpty());
        List<String> kernels = pinned.map(List::of).orElseGet(() -> setting(context, Settings.KERNELS));
        if (kernels.isEmpty()) {
            kernels = List.of(setting(context, Settings.KERNEL));
        }
        return kernels.stream()
                .map(spec -> KernelSpec.parse(spec).toString())
                .distinct()
                .toList();
    }

    /**
     * Each run of a class on a kernel leases its guest for the whole run; no other class uses that guest meanwhile.
     */
    @Override
    public void beforeClassTemplateInvocation(ExtensionContext context) {
        leaseUnlessLeased(context);
        announceKernel(context);
    }

    /**
     * Says which kernel a class's n-th run is on, where there are several: JUnit's legacy reporting names, which
     * Maven's surefire and failsafe print and write in their XML, call the runs {@code <class>[n]}. Printed in the
     * run, so that it is on the console and in the XML's output of the run's first test.
     */
    private static void announceKernel(ExtensionContext context) {
        List<String> kernels = kernels(context);
        KernelInvocation.of(context)
                .filter(kernel -> kernels.size() > 1)
                .ifPresent(kernel -> System.out.println(
                        context.getRequiredTestClass().getName() + "[" + (kernels.indexOf(kernel) + 1) + "] is "
                                + context.getDisplayName() + ", on guest "
                                + lease(context).orElseThrow().guest().guest().id()));
    }

    @Override
    public void afterClassTemplateInvocation(ExtensionContext context) {
        releaseOwnLease(context);
    }

    /** A class nested in a run on a kernel uses that run's guest. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (KernelInvocation.of(context).isPresent()) {
            leaseUnlessLeased(context);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        releaseOwnLease(context);
    }

    private static void leaseUnlessLeased(ExtensionContext context) {
        if (lease(context).isPresent()) {
            return;
        }
        PooledGuest guest = pool(context).acquire(key(context), () -> start(context));
        context.getStore(NAMESPACE).put(key(context), new Lease(context.getUniqueId(), guest));
        context.publishReportEntry(LivepatchTest.GUEST_ENTRY, guest.guest().id());
    }

    private static void releaseOwnLease(ExtensionContext context) {
        lease(context)
                .filter(lease -> lease.owner().equals(context.getUniqueId()))
                .ifPresent(lease -> pool(context).release(lease.guest()));
    }

    /** The guest a class leased, and the class context that leased it. */
    private record Lease(String owner, PooledGuest guest) {}

    /** The lease of this class, or of the class it is nested in: stored under the guest's kind (kernel, image, ...). */
    private static Optional<Lease> lease(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE).get(key(context), Lease.class));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        LivepatchTest.Reset reset =
                annotation(context).map(LivepatchTest::reset).orElse(LivepatchTest.Reset.ALWAYS);
        classGuest(context)
                .prepareForTest(reset)
                .ifPresent(notice -> context.publishReportEntry(LivepatchTest.GUEST_REPLACED_ENTRY, notice));
    }

    /** Publishes the transitions the test awaited through its {@link Livepatches}, whatever its outcome. */
    @Override
    public void afterEach(ExtensionContext context) {
        Livepatches livepatches = context.getStore(NAMESPACE).get(TEST_LIVEPATCHES, Livepatches.class);
        if (livepatches != null) {
            TransitionEntries.publish(context, livepatches.transitions());
        }
    }

    /** Also called when a {@code @BeforeEach} or {@code @AfterEach} method failed, unlike the execution callbacks. */
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        PooledGuest classGuest = classGuest(context);
        classGuest.changed();
        if (classGuest.isUp()) {
            FailureReport.publish(context, classGuest.guest(), classGuest::livepatches);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTED.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        PooledGuest classGuest = classGuest(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Kernel.class) {
            return classGuest.started().kernel();
        }
        if (type == GuestImage.class) {
            return classGuest.started().image();
        }
        if (type == PatchModules.class) {
            return classGuest.patchModules(patchesDir(context));
        }
        if (type == Livepatches.class) {
            Livepatches livepatches = classGuest.handOutLivepatches();
            context.getStore(NAMESPACE).put(TEST_LIVEPATCHES, livepatches);
            return livepatches;
        }
        Guest guest = classGuest.handOut();
        return type == GuestShell.class ? guest.shell() : guest;
    }

    private static PooledGuest classGuest(ExtensionContext context) {
        return lease(context)
                .map(Lease::guest)
                .orElseThrow(
                        () -> new ExtensionConfigurationException("No guest was leased for " + context.getDisplayName()
                                + ": the class's beforeAll callback of" + " @LivepatchTest did not run"));
    }

    private static GuestPool pool(ExtensionContext context) {
        configure(context);
        return rootValue(
                context, GuestPool.class, () -> new GuestPool(kernels(context).size()));
    }

    /**
     * Makes the run's configuration parameters the first source of every setting, wherever the toolkit reads one,
     * until the run ends (JUnit closes the root store's values).
     */
    private static void configure(ExtensionContext context) {
        ExtensionContext root = context.getRoot();
        rootValue(context, SettingLayers.Layer.class, () -> SettingLayers.push(root::getConfigurationParameter));
    }

    /** Through the one store method that JUnit 5.14+ and 6 both have, so that a project keeps its JUnit version. */
    @SuppressWarnings("deprecation")
    private static <T> T rootValue(ExtensionContext context, Class<T> type, Supplier<T> create) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(type, key -> create.get(), type);
    }

    private static PoolKey key(ExtensionContext context) {
        return new PoolKey(provider(context).getClass(), request(context));
    }

    private static PooledGuest start(ExtensionContext context) {
        return PooledGuest.start(provider(context), request(context));
    }

    static GuestRequest request(ExtensionContext context) {
        Optional<LivepatchTest> annotation = annotation(context);
        String kernel =
                KernelInvocation.of(context).orElseGet(() -> kernels(context).get(0));
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

    /** The annotation's folder, else {@code livepatch.patches.dir}; relative ones start from the project folder. */
    static Path patchesDir(ExtensionContext context) {
        Path folder = annotation(context)
                .map(LivepatchTest::patches)
                .filter(value -> !value.isEmpty())
                .map(Path::of)
                .orElseGet(() -> setting(context, Settings.PATCHES_DIR));
        return Settings.inProject(setting(context, Settings.PROJECT_DIR), folder);
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

    private static <T> T setting(ExtensionContext context, Property<T> property) {
        configure(context);
        return property.get();
    }

    private record PoolKey(Class<?> provider, GuestRequest request) {}
}
