package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/** The JUnit side of {@link LivepatchTest}: one guest per test class, reset before each test, evidence on failure. */
final class LivepatchExtension
        implements ExecutionCondition,
                BeforeAllCallback,
                BeforeEachCallback,
                AfterTestExecutionCallback,
                ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(LivepatchExtension.class);
    private static final Set<Class<?>> INJECTABLE =
            Set.of(Guest.class, GuestShell.class, Kernel.class, GuestImage.class);

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (qemuInstalled() || Settings.prerequisitesRequired()) {
            return ConditionEvaluationResult.enabled("QEMU is installed (or required)");
        }
        return ConditionEvaluationResult.disabled(
                "qemu-system-x86_64 is not installed (install qemu-system-x86; CI=true makes this a failure)");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        resource(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        resource(context).makePristine();
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isEmpty()) {
            return;
        }
        Guest guest = resource(context).guest();
        context.publishReportEntry("serial console (last 60 lines)", guest.serialTail(60));
        if (guest.isRunning() && guest.crash().isEmpty()) {
            FailureEvidence.collect(guest).forEach(context::publishReportEntry);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return INJECTABLE.contains(parameter.getParameter().getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        GuestResource resource = resource(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == Guest.class) {
            return resource.guest();
        }
        if (type == GuestShell.class) {
            return resource.guest().shell();
        }
        if (type == Kernel.class) {
            return resource.kernel();
        }
        return resource.image();
    }

    private static GuestResource resource(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        LivepatchTest settings = AnnotationSupport.findAnnotation(testClass, LivepatchTest.class)
                .orElseThrow(() -> new ExtensionConfigurationException(
                        testClass.getName() + " uses LivepatchExtension without @LivepatchTest"));
        ExtensionContext classContext =
                context.getTestMethod().isPresent() ? context.getParent().orElse(context) : context;
        return classContext
                .getStore(NAMESPACE)
                .computeIfAbsent(testClass, key -> GuestResource.start(settings), GuestResource.class);
    }

    private static boolean qemuInstalled() {
        return Stream.of(System.getenv().getOrDefault("PATH", "/usr/bin").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "qemu-system-x86_64")));
    }
}
