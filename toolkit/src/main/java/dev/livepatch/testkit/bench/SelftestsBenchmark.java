package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.upstream.KernelSelftests;
import dev.livepatch.testkit.vm.GuestPlan;
import dev.livepatch.testkit.vm.Machine;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The kernel's own selftest scripts against the toolkit's selftest cases on one kernel: the scripts run first (one
 * guest, as {@code run_kselftest.sh} would), then the toolkit runs the cases they passed, with its default
 * parallelism; each timed as a whole run, guest starts included.
 */
@API(status = INTERNAL, since = "0.2")
public final class SelftestsBenchmark {
    /** The columns of {@link Figures#medians()}, to compare kernels by. */
    public static final List<String> MEASURES = List.of("toolkit (wall)", "kernel's scripts (wall)");

    private static final String KERNEL_SCRIPTS = "kernel-selftests";
    private static final String TOOLKIT = "selftests";

    private SelftestsBenchmark() {}

    /** Runs a suite of tests (those carrying a tag) on guests of a kernel; the test classes are the caller's. */
    @FunctionalInterface
    public interface Suites {
        /** @param only which tests run; all of the suite's when empty */
        SuiteRun run(KernelSpec kernel, String suite, Optional<SameCases.Selection> only) throws IOException;
    }

    /** A whole run of a suite and how long it took. */
    public record Timed(SuiteRun run, Duration wall) {}

    /** Both runs on one kernel, and the cases they both passed. */
    public record Figures(String release, Timed kernelScripts, Timed toolkit, SameCases same) {
        /** The kernel's scripts' wall time over the toolkit's. */
        public double scriptsOverToolkit() {
            return kernelScripts.wall().toNanos() / (double) toolkit.wall().toNanos();
        }

        public boolean allPassed() {
            return toolkit.run().failures() == 0 && kernelScripts.run().failures() == 0;
        }

        /** The wall times of {@link #MEASURES}. */
        public List<Duration> medians() {
            return List.of(toolkit.wall(), kernelScripts.wall());
        }
    }

    public static Figures run(KernelSpec spec, Suites suites, Progress progress) throws IOException {
        Kernel kernel = new GuestPlan(spec.toString(), "selftest", Machine.defaults())
                .prepare(progress)
                .kernel();
        // Both sides' modules are built before the clock starts: only running the cases is compared.
        KernelSelftests.prepare(kernel, Cache.standard(), progress);
        Timed scripts = timed(suites, spec, KERNEL_SCRIPTS, Optional.empty());
        Timed toolkit = timed(
                suites,
                spec,
                TOOLKIT,
                Optional.of(SameCases.toolkitTestsOf(scripts.run().cases())));
        return new Figures(
                kernel.release(),
                scripts,
                toolkit,
                SameCases.of(toolkit.run().cases(), scripts.run().cases()));
    }

    private static Timed timed(Suites suites, KernelSpec spec, String suite, Optional<SameCases.Selection> only)
            throws IOException {
        long start = System.nanoTime();
        SuiteRun run = suites.run(spec, suite, only);
        return new Timed(run, Duration.ofNanos(System.nanoTime() - start));
    }
}
