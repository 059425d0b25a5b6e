package dev.livepatch.testkit.build;

import dev.livepatch.testkit.progress.Progress;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * The hook to the container backend, found by class name in this package: {@code ContainerKbuildRunner} (a
 * {@link KbuildRunner} made from a {@link Progress}) and {@code DockerEngine} ({@code standard().answers()}). A
 * toolkit built without them offers the native backend only.
 */
final class ContainerBackend {
    static final String RUNNER_CLASS = ContainerBackend.class.getPackageName() + ".ContainerKbuildRunner";
    static final String ENGINE_CLASS = ContainerBackend.class.getPackageName() + ".DockerEngine";

    private ContainerBackend() {}

    /** Whether the backend is present and a Docker engine answers. */
    static boolean usable() {
        try {
            Object engine =
                    Class.forName(ENGINE_CLASS).getDeclaredMethod("standard").invoke(null);
            return (Boolean) engine.getClass().getDeclaredMethod("answers").invoke(engine);
        } catch (ClassNotFoundException e) {
            return false;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("The Docker engine check " + ENGINE_CLASS + " failed", unwrap(e));
        }
    }

    /** The container runner, or empty when this toolkit has no container backend. */
    static Optional<KbuildRunner> runner(Progress progress) {
        try {
            Class<?> type = Class.forName(RUNNER_CLASS);
            return Optional.of(
                    (KbuildRunner) type.getDeclaredConstructor(Progress.class).newInstance(progress));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new IllegalStateException("Could not create " + RUNNER_CLASS, e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Could not create " + RUNNER_CLASS, e);
        }
    }

    private static Throwable unwrap(ReflectiveOperationException e) {
        return e instanceof InvocationTargetException invocation ? invocation.getCause() : e;
    }
}
