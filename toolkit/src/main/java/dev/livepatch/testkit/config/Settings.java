package dev.livepatch.testkit.config;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/** Every tunable of the toolkit, with its default, in one place. */
@API(status = STABLE, since = "0.1")
public final class Settings {
    private Settings() {}

    public static final Property<Path> CACHE_DIR = Property.path("livepatch.cache.dir", defaultCacheDir());

    /**
     * How long a run waits for another run (another process or thread) that is making the same cache entry: a
     * kernel download and unpack, an image, a first boot, a module build or a toolchain image.
     */
    public static final Property<Duration> CACHE_LOCK_TIMEOUT =
            Property.duration("livepatch.cache.lock.timeout", Duration.ofMinutes(30));

    /**
     * {@code debian} (the host release's packaged kernel), {@code debian:<suite or abi>}, {@code source:<tree>} or
     * {@code source:debian:<suite>} (a source tree, built by the toolkit), or a path to a kernel build tree.
     */
    public static final Property<String> KERNEL = Property.string("livepatch.kernel", "debian");

    /**
     * Kernel specs that every {@code @LivepatchTest} class runs on, one after the other (each class once per kernel);
     * empty: {@link #KERNEL} alone.
     */
    public static final Property<List<String>> KERNELS = Property.list("livepatch.kernels");

    /**
     * The architecture of the guests and of the kernels built for them ({@code --arch}): {@code x86_64}, {@code arm64},
     * {@code ppc64le}, {@code s390x} or {@code loongarch64}; this host's by default. Another one is emulated and
     * cross-built.
     */
    public static final Property<Arch> ARCH = Property.arch("livepatch.arch", Arch.host());

    public static final Property<String> IMAGE = Property.string("livepatch.image", "minimal");

    /** {@code auto} (KVM when it really works, TCG otherwise), {@code kvm} or {@code tcg}. */
    public static final Property<String> ACCEL = Property.string("livepatch.accel", "auto");

    /** How long the KVM probe (a boot sector writing to the serial port) may take before KVM counts as broken. */
    public static final Property<Duration> KVM_PROBE_TIMEOUT =
            Property.duration("livepatch.kvm.probe.timeout", Duration.ofSeconds(5));

    public static final Property<Integer> CPUS = Property.integer("livepatch.cpus", 1);

    public static final Property<Integer> MEMORY_MIB = Property.integer("livepatch.memory", 512);

    public static final Property<Duration> BOOT_TIMEOUT =
            Property.duration("livepatch.boot.timeout", Duration.ofMinutes(3));

    public static final Property<Duration> SSH_TIMEOUT =
            Property.duration("livepatch.ssh.timeout", Duration.ofSeconds(60));

    public static final Property<Duration> TRANSITION_TIMEOUT =
            Property.duration("livepatch.transition.timeout", Duration.ofSeconds(60));

    /** {@code native}, {@code container} or {@code auto}. */
    public static final Property<String> BUILDER = Property.string("livepatch.builder", "auto");

    public static final Property<Duration> BUILD_TIMEOUT =
            Property.duration("livepatch.build.timeout", Duration.ofMinutes(10));

    /**
     * How long building a kernel source tree ({@code --kernel source:...}) or running its {@code klp-build} may take:
     * a first build of a full configuration takes most of an hour on two cores.
     */
    public static final Property<Duration> SOURCE_BUILD_TIMEOUT =
            Property.duration("livepatch.source.build.timeout", Duration.ofMinutes(120));

    /** How many jobs {@code make} and {@code klp-build} run for a kernel source tree: one per core by default. */
    public static final Property<Integer> SOURCE_BUILD_JOBS =
            Property.integer("livepatch.source.jobs", Runtime.getRuntime().availableProcessors());

    /** The folder that relative project paths start from: the working directory unless set. */
    public static final Property<Path> PROJECT_DIR = Property.path("livepatch.project.dir", Path.of(""));

    /** The project's livepatch and fixture modules, one subfolder each; relative to {@link #PROJECT_DIR}. */
    public static final Property<Path> PATCHES_DIR = Property.path("livepatch.patches.dir", Path.of("patches"));

    /**
     * The project's own guest image recipes, one subfolder each, which add to and override the toolkit's
     * ({@code minimal}, {@code selftest}); relative to {@link #PROJECT_DIR}, and optional.
     */
    public static final Property<Path> IMAGES_DIR = Property.path("livepatch.images.dir", Path.of("guest-images"));

    /** A folder setting's value as an absolute path, a relative one taken from {@code projectDir}. */
    public static Path inProject(Path projectDir, Path folder) {
        return projectDir.toAbsolutePath().resolve(folder).normalize();
    }

    /**
     * A Linux source tree whose livepatch selftests ({@code tools/testing/selftests/livepatch}, with its test modules)
     * {@code ./testkit selftests} runs instead of those of Debian's {@code linux-source} for the kernel; unset by default.
     */
    public static final Property<String> SELFTESTS_SOURCE = Property.string("livepatch.selftests.source", "");

    /**
     * How long one case of the kernel's own selftests may take before its script is ended: each of its steps waits
     * up to a minute for the kernel, and a case has a few.
     */
    public static final Property<Duration> SELFTESTS_CASE_TIMEOUT =
            Property.duration("livepatch.selftests.case-timeout", Duration.ofMinutes(4));

    /** The package (with its subpackages) whose test classes on the classpath {@code ./testkit test} runs. */
    public static final Property<String> SUITES_PACKAGE =
            Property.string("livepatch.suites.package", "dev.livepatch.testkit.suites");

    /**
     * How many test classes run at once, each on a guest of its own ({@code ./testkit test -j N}); 1 runs them one
     * after another. Unset, {@code ./testkit test} takes as many as the host's cores and memory carry
     * ({@code Guests.defaultParallelism}).
     */
    public static final Property<Integer> PARALLEL = Property.integer("livepatch.parallel", 1);

    /**
     * The livepatch a gate checks ({@code ./testkit check PATCH}): a module source folder, a {@code .ko} file or a
     * source diff.
     */
    public static final Property<String> CHECK_PATCH = Property.string("livepatch.check.patch", "");

    /** The deployed livepatch the gate's patch upgrades ({@code --previous}); empty for none. */
    public static final Property<String> CHECK_PREVIOUS = Property.string("livepatch.check.previous", "");

    /** Modules the gate loads before the patch, one {@code MODULE[:PARAM=VALUE,...]} per line ({@code --with}). */
    public static final Property<String> CHECK_FIXTURES = Property.string("livepatch.check.fixtures", "");

    /** The gate's checks, one shell command per line ({@code --check}). */
    public static final Property<String> CHECK_COMMANDS = Property.string("livepatch.check.commands", "");

    /** The gate's workloads, one built-in name or shell command per line ({@code --workload}). */
    public static final Property<String> CHECK_WORKLOADS = Property.string("livepatch.check.workloads", "");

    /** Where the gate writes the reproducer bundle of a stalled transition. */
    public static final Property<Path> CHECK_BUNDLES =
            Property.path("livepatch.check.bundles", Path.of("stall-reports"));

    /** When true, a missing QEMU or Docker fails a test instead of skipping it (set in CI). */
    public static final Property<Boolean> REQUIRE = Property.bool("livepatch.require", false);

    static Path defaultCacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
        return base.resolve("livepatch-testkit");
    }

    /** Whether prerequisites are mandatory: explicitly, or because the run is in CI. */
    public static boolean prerequisitesRequired() {
        return REQUIRE.get() || "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
