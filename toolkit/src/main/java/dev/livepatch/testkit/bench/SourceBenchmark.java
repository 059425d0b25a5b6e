package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.source.ArchSupport;
import dev.livepatch.testkit.source.KernelTree;
import dev.livepatch.testkit.source.SourceKernels;
import dev.livepatch.testkit.util.Folders;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.GuestPlan;
import dev.livepatch.testkit.vm.Machine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Measures what a kernel developer waits for, on fresh copies of a Debian suite's source tree in one run, for one
 * architecture: the first build of its plain defconfig with the livepatch guest fragment, the first build of the
 * toolkit's default configuration (the same, trimmed), the developer loop (one function edited, then rebuild, install
 * and boot to a working SSH command), and, where klp-build exists (x86_64), klp-build of a one-function diff on the
 * recorded original build. The default configuration is measured first; the plain build, which can take hours on
 * an emulated architecture's full defconfig, may be given a limit, past which it is stopped and reported as a lower
 * bound (the ratio then an upper bound).
 */
@API(status = INTERNAL, since = "0.2")
public final class SourceBenchmark {
    private static final String EDITED_FILE = "fs/proc/cmdline.c";
    private static final String EDITED_LINE = "\tseq_puts(m, saved_command_line);\n";

    private SourceBenchmark() {}

    /** One sample of each measurement. */
    public record Figures(
            String tree,
            PlainBuild plainBuild,
            Duration defaultBuild,
            Duration rebuildAndBoot,
            Optional<Duration> klpBuild,
            String release) {
        /** The default configuration's first build against the plain one's: an upper bound if that was stopped. */
        public double defaultAgainstPlain() {
            return (double) defaultBuild.toMillis() / plainBuild.wall().toMillis();
        }
    }

    /**
     * The plain configuration's first build: how long it took, or, when {@code stoppedBy} is present, how long it ran
     * before its limit stopped it (why, in the build's own words).
     */
    public record PlainBuild(Duration wall, Optional<String> stoppedBy) {
        public boolean finished() {
            return stoppedBy.isEmpty();
        }
    }

    /**
     * Unpacks and builds the trees in a new folder of the cache folder, removed afterwards with the cache of their
     * builds.
     *
     * @param suite the Debian suite whose {@code linux-source} is measured, e.g. {@code sid}
     * @param diff a one-function source diff for klp-build, which is left out on an architecture without it
     * @param plainLimit how long each command of the plain build may run before the build is stopped and reported
     *     as longer than it ran
     */
    public static Figures run(
            String suite, Arch arch, Path diff, Duration plainLimit, Machine machine, Progress progress)
            throws IOException {
        Path scratch = Files.createTempDirectory(Files.createDirectories(Settings.CACHE_DIR.get()), "bench-source-");
        Cache cache = new Cache(scratch.resolve("cache"));
        try {
            KernelTree tree = SourceKernels.unpackFresh(suite, arch, scratch.resolve("default"), cache, progress);
            Supplier<Kernel> build = SourceKernels.inPlaceBuild(tree, true, cache, progress);
            Timed<Kernel> first = timed(build);
            progress.note("First build of the default configuration: " + Durations.format(first.wall()));
            startAndStop(first.value(), machine, progress);

            Path edited = tree.root().resolve(EDITED_FILE);
            String original = Files.readString(edited);
            if (!original.contains(EDITED_LINE)) {
                throw new KernelException(EDITED_FILE + " of " + tree.describe() + " has no '" + EDITED_LINE.strip()
                        + "' to edit for the benchmark");
            }
            Files.writeString(edited, original.replace(EDITED_LINE, "\tseq_puts(m, \"edited \");\n" + EDITED_LINE));
            Duration rebuildAndBoot = time(() -> startAndStop(build.get(), machine, progress));
            progress.note("One function edited, rebuilt and booted: " + Durations.format(rebuildAndBoot));
            Files.writeString(edited, original);
            Kernel kernel = build.get();

            Optional<Duration> klpBuild = ArchSupport.hasKlpBuild(arch)
                    ? Optional.of(
                            time(() -> SourceKernels.fromDiff(kernel, diff, DiffOptions.defaults(), cache, progress)))
                    : Optional.empty();
            Folders.deleteRecursively(tree.root());

            KernelTree plain = SourceKernels.unpackFresh(suite, arch, scratch.resolve("plain"), cache, progress);
            PlainBuild plainBuild = plainBuild(plain, plainLimit, cache, progress);
            return new Figures(tree.origin(), plainBuild, first.wall(), rebuildAndBoot, klpBuild, kernel.release());
        } catch (IOException e) {
            throw new KernelException("The source benchmark could not edit its tree in " + scratch + ": " + e, e);
        } finally {
            cache.clean();
            try {
                Folders.deleteRecursively(scratch);
            } catch (IOException e) {
                progress.note("Could not remove the benchmark's trees in " + scratch + ": " + e.getMessage());
            }
        }
    }

    /** A build that fails before its limit fails the benchmark; one that runs into it is a lower bound. */
    private static PlainBuild plainBuild(KernelTree plain, Duration limit, Cache cache, Progress progress) {
        long start = System.nanoTime();
        try {
            SourceKernels.inPlaceBuild(plain, false, cache, progress, limit).get();
            return new PlainBuild(Duration.ofNanos(System.nanoTime() - start), Optional.empty());
        } catch (TestkitException e) {
            Duration ran = Duration.ofNanos(System.nanoTime() - start);
            if (ran.compareTo(limit) < 0) {
                throw e;
            }
            return new PlainBuild(ran, Optional.of(Progress.reason(e)));
        }
    }

    private static Kernel startAndStop(Kernel kernel, Machine machine, Progress progress) {
        GuestPlan.Prepared prepared = new GuestPlan.Prepared(
                kernel, GuestImages.standard(progress).build(Settings.IMAGE.get(), kernel), machine);
        try (Guest guest = prepared.start(progress)) {
            guest.shell().exec("true", Settings.SSH_TIMEOUT.get());
        }
        return kernel;
    }

    private record Timed<T>(T value, Duration wall) {}

    private static <T> Timed<T> timed(Supplier<T> work) {
        long start = System.nanoTime();
        T value = work.get();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Duration time(Supplier<?> work) {
        return timed(work).wall();
    }
}
