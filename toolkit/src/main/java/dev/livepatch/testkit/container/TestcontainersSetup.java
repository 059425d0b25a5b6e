package dev.livepatch.testkit.container;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.testcontainers.dockerclient.DockerClientConfigUtils;
import org.testcontainers.utility.ResourceReaper;

/**
 * Prepares Testcontainers, before its first use, for machines without an image registry: no Ryuk
 * container (its image would have to be pulled), and no gateway probe when this JVM itself runs in a
 * container (the probe starts a pulled image, and hangs for minutes when there is no registry).
 *
 * <p>Testcontainers 2.0 reads the two switches for this, {@code TESTCONTAINERS_RYUK_DISABLED} and
 * {@code TESTCONTAINERS_HOST_OVERRIDE}, only from the process environment. When they are not set
 * there, the same effect is put in place in-process: the reaper that removes containers from a JVM
 * shutdown hook (what the Ryuk switch selects) and {@code localhost} as the gateway (what the host
 * override gives). Both touch private fields, so a Testcontainers upgrade that renames them fails
 * loudly here, with the environment variables as the way out.
 */
final class TestcontainersSetup {
    private static final String SHUTDOWN_HOOK_REAPER = "org.testcontainers.utility.JVMHookResourceReaper";

    private static boolean applied;

    private TestcontainersSetup() {}

    static synchronized void apply() {
        if (applied) {
            return;
        }
        try {
            if (!"true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))) {
                useShutdownHookReaper();
            }
            String hostOverride = System.getenv("TESTCONTAINERS_HOST_OVERRIDE");
            if ((hostOverride == null || hostOverride.isBlank()) && DockerClientConfigUtils.IN_A_CONTAINER) {
                presetGateway();
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ModuleBuildException(
                    "Could not prepare Testcontainers to run without an image registry (" + e
                            + "); set TESTCONTAINERS_RYUK_DISABLED=true and TESTCONTAINERS_HOST_OVERRIDE=localhost"
                            + " in the environment instead",
                    e);
        }
        applied = true;
    }

    private static void useShutdownHookReaper() throws ReflectiveOperationException {
        Field instance = ResourceReaper.class.getDeclaredField("instance");
        instance.setAccessible(true);
        synchronized (ResourceReaper.class) {
            if (instance.get(null) == null) {
                Constructor<?> constructor = Class.forName(
                                SHUTDOWN_HOOK_REAPER, true, ResourceReaper.class.getClassLoader())
                        .getDeclaredConstructor();
                constructor.setAccessible(true);
                instance.set(null, constructor.newInstance());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void presetGateway() throws ReflectiveOperationException {
        Field gateway = DockerClientConfigUtils.class.getDeclaredField("defaultGateway");
        gateway.setAccessible(true);
        ((AtomicReference<Object>) gateway.get(null)).compareAndSet(null, Optional.of("localhost"));
    }
}
