package dev.livepatch.testkit.junit;

import java.util.Set;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

/**
 * A lock of its own for each {@link LivepatchTest} class: its tests share one guest, so they run one after another on
 * one thread even when the run lets everything run concurrently; different classes, holding different locks, still
 * run side by side. (Jupiter applies {@code mode.classes.default} to plain classes only, so class templates like
 * {@link LivepatchTest} classes run concurrently only under {@code mode.default = concurrent}, which needs this.)
 */
final class ClassGuestLock implements ResourceLocksProvider {
    @Override
    public Set<Lock> provideForClass(Class<?> testClass) {
        return Set.of(new Lock("livepatch-testkit.guest:" + testClass.getName()));
    }
}
