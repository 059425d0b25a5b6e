package dev.livepatch.testkit.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;
import org.junit.jupiter.api.ClassTemplate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * Runs the test class against one guest, started before its first test and stopped after its last; with
 * {@code livepatch.kernels} set, once per kernel in turn, each run shown as {@code <class> on <kernel>}. Every test
 * starts from the guest's boot snapshot, and may take {@link dev.livepatch.testkit.vm.Guest},
 * {@link dev.livepatch.testkit.ssh.GuestShell}, {@link dev.livepatch.testkit.livepatch.Livepatches},
 * {@link dev.livepatch.testkit.kernel.Kernel}, {@link dev.livepatch.testkit.image.GuestImage} and
 * {@link PatchModules} parameters.
 * A failed test gets the guest's serial console tail, kernel log and livepatch sysfs attached to its report.
 * With JUnit's parallel execution on, classes run at the same time, each on its own guest; the tests of one class
 * never do.
 * Where guests cannot start (no QEMU), the class is skipped, or fails when prerequisites are required
 * ({@code livepatch.require=true} or {@code CI=true}).
 */
@API(status = STABLE, since = "0.1")
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag("qemu")
@ClassTemplate
@ExtendWith(LivepatchExtension.class)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(providers = ClassGuestLock.class)
public @interface LivepatchTest {
    /**
     * The report entry that names the guest (its run folder's id) each run of a class leases, published on the class
     * run as the guest is handed to it: with classes side by side, it says which guest runs what.
     */
    String GUEST_ENTRY = "livepatch guest";

    /**
     * The report entry published on the first test after a class's guest stopped (its QEMU killed, or gone with the
     * test before): it names the guest that stopped and the new one the class's next tests run on.
     */
    String GUEST_REPLACED_ENTRY = "livepatch guest replaced";

    /**
     * The kernel spec ({@code debian}, {@code debian:<suite>}, {@code debian:<abi>} or a build tree), which pins the
     * class to that kernel; empty: each of {@code livepatch.kernels}, or else {@code livepatch.kernel}.
     */
    String kernel() default "";

    /**
     * The guest image recipe: the toolkit's {@code minimal} or {@code selftest}, or one of the project's own in
     * {@code livepatch.images.dir}; empty: {@code livepatch.image}.
     */
    String image() default "";

    /**
     * The folder of the modules that {@link PatchModules} builds, one subfolder each, relative to
     * {@code livepatch.project.dir} (the working directory, for Maven the module's folder); empty:
     * {@code livepatch.patches.dir} ({@code patches}).
     */
    String patches() default "";

    /** Virtual CPUs; 0: {@code livepatch.cpus}. One CPU makes transitions complete at once. */
    int cpus() default 0;

    /** Guest memory in MiB; 0: {@code livepatch.memory}. */
    int memoryMib() default 0;

    /** Where guests come from; QEMU guests by default. */
    Class<? extends GuestProvider> provider() default QemuGuestProvider.class;

    /** When a test's guest is restored from its boot snapshot before the next test of the class. */
    Reset reset() default Reset.ALWAYS;

    /** When the guest is reset between two tests of a class. */
    @API(status = EXPERIMENTAL, since = "0.3")
    enum Reset {
        /** Before every test but the first on a fresh guest. */
        ALWAYS,
        /**
         * Only when the test before changed the guest: it failed, or it left (passed or aborted) a difference from
         * the fresh guest in what one command can read back: loaded modules, livepatches, taint (but for the flags a
         * module load sets for good), user processes, mounts, the tracing and kprobe state,
         * {@code kernel.ftrace_enabled} and the livepatch core's debug switch. For tests that clean up after
         * themselves as the kernel's own selftests do, which run one after another in one boot: a reset, and the
         * translation of the guest's code again that follows it under emulation, is spared.
         */
        WHEN_CHANGED
    }
}
