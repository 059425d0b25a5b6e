package dev.livepatch.testkit.junit;

import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * A lock of its own for each {@link LivepatchTest} class: its tests share one guest, so they run one after another on
 * one thread, while different classes, holding different locks, run side by side. The class is marked concurrent
 * explicitly (Jupiter applies {@code mode.classes.default} to plain classes, not to class templates), and a marked
 * class's tests would otherwise run concurrently too.
 */
final class ClassGuestLock implements ResourceLocksProvider {
    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        return Set.of(new Lock("livepatch-testkit.guest:" + testClass.getName()));
    }
}
