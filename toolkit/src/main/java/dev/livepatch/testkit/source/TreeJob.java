package dev.livepatch.testkit.source;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.progress.Progress;
import java.time.Duration;

/**
 * What every piece of work on a tree shares: the tree, where its commands run, the cache, where progress goes, and
 * {@code make}'s jobs and time limit.
 */
record TreeJob(KernelTree tree, TreeShell shell, Cache cache, Progress progress, int jobs, Duration timeout) {
    TreeJob {
        cache = cache.reportingTo(progress);
    }

    /** Work on {@code tree} with the settings' jobs and time limit, in the tree's toolchain container. */
    static TreeJob of(KernelTree tree, Cache cache, Progress progress) {
        return new TreeJob(
                tree,
                SourceKernels.shell(tree, progress),
                cache,
                progress,
                Settings.SOURCE_BUILD_JOBS.get(),
                Settings.SOURCE_BUILD_TIMEOUT.get());
    }

    /** The same work with {@code timeout} for each command instead of the settings' limit. */
    TreeJob withTimeout(Duration timeout) {
        return new TreeJob(tree, shell, cache, progress, jobs, timeout);
    }
}
