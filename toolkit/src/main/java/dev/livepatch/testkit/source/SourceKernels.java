package dev.livepatch.testkit.source;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.container.ToolchainContainer;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelConfig;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.kernel.KernelOrigin;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * Kernels built from source trees ({@code source:<path>}, {@code source:debian:<suite>}) and livepatches made from
 * source diffs by the tree's own {@code klp-build}. Trees build in the toolchain container of their compiler, or on
 * this host with {@code --builder native}.
 */
@API(status = INTERNAL, since = "0.2")
public final class SourceKernels {

    /** The newest toolchain, for a tree that names no compiler of its own yet. */
    private static final int NEWEST_GCC = 16;

    private SourceKernels() {}

    /** Builds (incrementally) the tree that {@code spec} names for {@code arch} and returns its kernel. */
    static Kernel build(KernelSpec spec, Arch arch, Cache cache, Progress progress) {
        KernelTree tree = tree(spec, arch, cache, progress);
        ArchSupport.requireLivepatch(tree.root(), tree.describe(), arch);
        return new TreeBuild(TreeJob.of(tree, cache, progress)).build();
    }

    /**
     * A fresh copy of a Debian suite's source tree in {@code target} (which must not exist), apart from the one kept in
     * the cache, to build for {@code arch}.
     */
    public static KernelTree unpackFresh(String suite, Arch arch, Path target, Cache cache, Progress progress) {
        return DebianSourceTrees.unpackFresh(suite, arch, target, cache, progress);
    }

    /**
     * The build of {@code tree} in place, its toolchain checked once: each {@code get()} configures (the first time)
     * and builds what changed since, then returns the kernel.
     *
     * @param trim whether a tree without a {@code .config} leaves out what a guest never uses (the default
     *     configuration), or builds the architecture's plain defconfig with its livepatch guest fragment
     */
    public static Supplier<Kernel> inPlaceBuild(KernelTree tree, boolean trim, Cache cache, Progress progress) {
        return inPlaceBuild(tree, trim, cache, progress, Settings.SOURCE_BUILD_TIMEOUT.get());
    }

    /** Like {@link #inPlaceBuild(KernelTree, boolean, Cache, Progress)}, with {@code timeout} for each command. */
    public static Supplier<Kernel> inPlaceBuild(
            KernelTree tree, boolean trim, Cache cache, Progress progress, Duration timeout) {
        TreeBuild build = new TreeBuild(TreeJob.of(tree, cache, progress).withTimeout(timeout), trim);
        return build::build;
    }

    /** Makes a livepatch module from {@code diff} with the klp-build of the tree {@code kernel} was built from. */
    public static BuiltModule fromDiff(Kernel kernel, Path diff, DiffOptions options, Cache cache, Progress progress) {
        ArchSupport.requireKlpBuild(kernel.arch());
        KernelOrigin.SourceBuild build = sourceBuild(kernel);
        KernelTree tree = new KernelTree(
                build.tree(),
                build.treeDescription(),
                KernelCompiler.parse(kernel.compiler()).major(),
                kernel.arch());
        return new KlpBuild(TreeJob.of(tree, cache, progress)).build(kernel, build.buildId(), diff, options);
    }

    /** How the toolkit built {@code kernel} from a source tree; refused for any other kernel. */
    static KernelOrigin.SourceBuild sourceBuild(Kernel kernel) {
        if (kernel.origin() instanceof KernelOrigin.SourceBuild build) {
            return build;
        }
        throw new ModuleBuildException("Kernel " + kernel.release() + " (" + kernel.source() + ") was not built"
                + " from a source tree by the toolkit; klp-build needs the tree it diffs against: use --kernel"
                + " source:<tree> or source:debian:sid.");
    }

    private static KernelTree tree(KernelSpec spec, Arch arch, Cache cache, Progress progress) {
        if (spec instanceof KernelSpec.DebianSource debian) {
            return DebianSourceTrees.fetch(debian.suite(), arch, cache, progress);
        }
        Path root = KernelTree.requireTree(((KernelSpec.SourceTree) spec).root());
        requireSameArch(root, arch);
        return new KernelTree(root, root.toString(), ownCompiler(root).orElse(NEWEST_GCC), arch);
    }

    /**
     * A tree is built in place, so it holds one architecture's build: a tree configured for another is refused
     * (Debian's trees are unpacked once per architecture instead).
     */
    private static void requireSameArch(Path root, Arch arch) {
        Path config = root.resolve(".config");
        if (Files.isRegularFile(config)) {
            Arch configured = KernelConfig.read(config).arch();
            if (!configured.equals(arch)) {
                throw new KernelException("The tree " + root + " is configured and built for " + configured + ", not "
                        + arch + ": a tree builds in place, for one architecture at a time. Use a copy of it for "
                        + arch + " (e.g. 'git worktree add'), or 'make mrproper' in it to start over for " + arch
                        + ".");
            }
        }
    }

    /** The gcc major version a tree's existing {@code .config} was made with, when it names one. */
    private static Optional<Integer> ownCompiler(Path root) {
        Path config = root.resolve(".config");
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        Map<String, String> values = ConfigFragment.readConfig(config);
        try {
            String text = values.getOrDefault("CONFIG_CC_VERSION_TEXT", "").replaceAll("^\"|\"$", "");
            return Optional.of(KernelCompiler.parse(text).major());
        } catch (ModuleBuildException e) {
            return Optional.empty();
        }
    }

    static TreeShell shell(KernelTree tree, Progress progress) {
        String builder = Settings.BUILDER.get();
        if (builder.equals("native")) {
            return TreeShell.host(tree.root(), ProcessRunner.create()).withEnvironment(tree.environment());
        }
        ToolchainContainer container =
                ToolchainContainer.standard(new KernelCompiler("gcc", tree.gccMajor()), tree.arch(), progress);
        Optional<String> problem = container.problem();
        if (problem.isPresent()) {
            // A whole tree needs more than a module build (bison, flex, libelf, libssl, libxxhash...): without its
            // toolchain container, the host is used only when asked for.
            throw new KernelException("Cannot build " + tree.describe() + " in its toolchain container (gcc-"
                    + tree.gccMajor() + "): " + problem.get() + ". Or build it on this host with --builder native"
                    + " (-Dlivepatch.builder=native), with gcc, make, bison, flex, bc and the libelf, libssl and"
                    + " libxxhash development packages installed.");
        }
        return TreeShell.container(tree.root(), container).withEnvironment(tree.environment());
    }
}
