package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.PatchSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache locks of the modules one kbuild run builds, so that no module is built twice at once by two runs. They
 * are taken in key order: two runs with overlapping module lists never hold one lock each while waiting for the
 * other's.
 */
final class ModuleLocks implements AutoCloseable {
    private final Map<PatchSource, EntryLock> locks;

    private ModuleLocks(Map<PatchSource, EntryLock> locks) {
        this.locks = locks;
    }

    static ModuleLocks acquire(
            Cache cache, Kernel kernel, List<PatchSource> sources, Map<PatchSource, ModuleKey> keys) {
        Map<PatchSource, EntryLock> taken = new LinkedHashMap<>();
        ModuleLocks locks = new ModuleLocks(taken);
        List<PatchSource> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparing(source -> keys.get(source).value()));
        try {
            for (PatchSource source : ordered) {
                String what = "the build of " + source.name() + " for " + kernel.release();
                taken.put(
                        source,
                        cache.lock(KbuildModuleBuilder.AREA, keys.get(source).value(), what));
            }
            return locks;
        } catch (RuntimeException | Error e) {
            locks.close();
            throw e;
        }
    }

    EntryLock of(PatchSource source) {
        return locks.get(source);
    }

    @Override
    public void close() {
        List<EntryLock> held = new ArrayList<>(locks.values());
        Collections.reverse(held);
        held.forEach(EntryLock::close);
        locks.clear();
    }
}
