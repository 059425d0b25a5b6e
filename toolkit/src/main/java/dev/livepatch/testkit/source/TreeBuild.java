package dev.livepatch.testkit.source;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.kernel.KernelOrigin;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds a kernel tree in place and keeps what a guest boots from it in the cache: {@code bzImage}, {@code .config}
 * and the modules ({@code modules_install}, with {@code modules.builtin}), one entry per distinct build. {@code make}
 * rebuilds only what changed, and build stamps are fixed, so an unchanged tree gives the same kernel and the same boot
 * snapshot. A tree with {@code klp-build} is built exactly as klp-build builds its original kernel, and that build is
 * recorded as klp-build's original: the kernel the guest boots is the one its livepatches are diffed against.
 */
final class TreeBuild {
    static final String AREA = "source-kernels";
    static final String LOCK_AREA = "source-builds";

    /** klp-build's build options (its {@code build_kernel}); the same options keep its later builds incremental. */
    static final List<String> KLP_BUILD_OPTIONS =
            List.of("KBUILD_MODPOST_WARN=1", "KLP_SYMIDS=1", "KCFLAGS=-ffunction-sections -fdata-sections");

    /** Fixed build stamps: relinking unchanged objects then gives a byte-identical kernel. */
    static final Map<String, String> ENVIRONMENT = Map.of(
            "KBUILD_BUILD_TIMESTAMP", "Thu Jan  1 00:00:00 UTC 2026",
            "KBUILD_BUILD_USER", "livepatch-testkit",
            "KBUILD_BUILD_HOST", "guest",
            "KBUILD_BUILD_VERSION", "1",
            "LC_ALL", "C");

    private final KernelTree tree;
    private final TreeShell shell;
    private final Cache cache;
    private final Progress progress;
    private final int jobs;
    private final Duration timeout;
    private final boolean trim;

    TreeBuild(TreeJob job) {
        this(job, true);
    }

    /** @param trim whether a tree without a {@code .config} leaves out what a guest never uses */
    TreeBuild(TreeJob job, boolean trim) {
        this.tree = job.tree();
        this.shell = job.shell();
        this.cache = job.cache();
        this.progress = job.progress();
        this.jobs = job.jobs();
        this.timeout = job.timeout();
        this.trim = trim;
    }

    /** A key naming the tree (its real path), for locks and cache entries. */
    static String treeKey(Path root) {
        return root.getFileName() + "-" + Sha256.of(root.toString()).prefix(12);
    }

    /**
     * Configures and builds the tree, then returns its kernel; one run at a time per tree. A tree unchanged since its
     * last build (or changed only by klp-build's patched builds since, see {@link TreeState}) is not made again.
     */
    Kernel build() {
        String treeKey = treeKey(tree.root());
        try (EntryLock lock = cache.lock(LOCK_AREA, treeKey, "the kernel tree " + tree.root())) {
            Path logFile = logFile(treeKey);
            try (OutputStream log = Files.newOutputStream(logFile)) {
                Path fragments = writeFragments();
                String how = progress.step(
                        "Configuring " + tree.describe(),
                        step -> new TreeConfiguration(tree, shell, fragments, timeout, log, trim).prepare());
                progress.note("Kernel configuration: " + how);
                Optional<Kernel> unchanged = unchangedBuild(TreeListing.of(tree.root()));
                if (unchanged.isPresent()) {
                    progress.note(tree.describe() + " is unchanged since it built "
                            + unchanged.get().release() + ": nothing to make");
                    return unchanged.get();
                }
                progress.run(
                        "Building " + tree.describe() + " (make -j" + jobs + ", " + shell.describe() + ")",
                        step -> make(log, logFile));
            } catch (IOException e) {
                throw new KernelException("Could not write the build log " + logFile, e);
            }
            String release = read(tree.root().resolve("include/config/kernel.release"));
            String buildId = buildId(release);
            String entryKey = treeKey + "-" + buildId + (tree.arch().equals(Arch.X86_64) ? "" : "-" + tree.arch());
            Path entry = cache.computeIfAbsent(
                    AREA,
                    entryKey,
                    "kernel " + release + " built from " + tree.describe(),
                    folder -> install(folder, release));
            if (tree.hasKlpBuild()) {
                KlpOriginal.record(tree.root(), buildId);
            }
            TreeState state = new TreeState(
                    identity(),
                    buildId,
                    release,
                    entryKey,
                    TreeListing.of(tree.root()).fingerprint(),
                    Optional.empty());
            writeState(state);
            return kernel(entry, state);
        }
    }

    /**
     * The kernel of the tree's last build when the tree is still that build ({@link TreeState#describes}) and its
     * cache entry is whole; klp-build's original must still be that build's too.
     */
    private Optional<Kernel> unchangedBuild(TreeListing listing) throws IOException {
        Optional<TreeState> state = TreeState.read(tree.root())
                .filter(last -> last.identity().equals(identity()))
                .filter(last -> last.describes(listing.fingerprint()));
        if (state.isEmpty()
                || (tree.hasKlpBuild()
                        && !KlpOriginal.isRecorded(tree.root(), state.get().buildId()))) {
            return Optional.empty();
        }
        return cache.find(AREA, state.get().entryKey()).map(entry -> kernel(entry, state.get()));
    }

    /** What builds the tree: the toolchain and make's options and environment. */
    private String identity() {
        return Sha256.of(shell.describe() + "\n" + makeCommand() + "\n" + new TreeMap<>(ENVIRONMENT))
                .prefix(16);
    }

    private void writeState(TreeState state) {
        try {
            state.write(tree.root());
        } catch (IOException e) {
            throw new KernelException(
                    "Could not write the build state " + TreeState.FILE + " in " + tree.describe() + ": "
                            + e.getMessage(),
                    e);
        }
    }

    private Kernel kernel(Path entry, TreeState state) {
        String compiler = ConfigFragment.readConfig(entry.resolve("config"))
                .getOrDefault("CONFIG_CC_VERSION_TEXT", "\"gcc\"")
                .replaceAll("^\"|\"$", "");
        return new Kernel(
                state.release(),
                entry.resolve(imageTarget()),
                entry.resolve("config"),
                entry.resolve("lib/modules").resolve(state.release()),
                tree.root(),
                compiler,
                new KernelOrigin.SourceBuild(tree.root(), tree.describe(), state.buildId()));
    }

    private void make(OutputStream log, Path logFile) {
        ExecResult result = shell.run(makeCommand(), ENVIRONMENT, List.of(), List.of(), timeout, log);
        if (!result.succeeded()) {
            throw new KernelException("Building " + tree.describe() + " failed (exit status " + result.exitCode()
                    + " after " + Durations.format(result.duration()) + "; the whole log is " + logFile + "):\n"
                    + result.outputTail(25));
        }
    }

    private List<String> makeCommand() {
        List<String> command = new ArrayList<>(List.of("make", "-s", "-j" + jobs));
        if (tree.hasKlpBuild()) {
            command.addAll(KLP_BUILD_OPTIONS);
            command.addAll(List.of("vmlinux", "modules", imageTarget()));
        } else {
            command.addAll(List.of(imageTarget(), "modules"));
        }
        return command;
    }

    /** The make target of the boot image: its file name ({@code bzImage}, {@code Image}). */
    private String imageTarget() {
        return Path.of(tree.arch().bootImage()).getFileName().toString();
    }

    private void install(Path folder, String release) throws IOException {
        Files.copy(tree.root().resolve(tree.arch().bootImage()), folder.resolve(imageTarget()));
        Files.copy(tree.config(), folder.resolve("config"));
        ExecResult result = shell.run(
                List.of("make", "-s", "INSTALL_MOD_PATH=" + folder, "INSTALL_MOD_STRIP=1", "modules_install"),
                ENVIRONMENT,
                List.of(),
                List.of(folder),
                timeout,
                OutputStream.nullOutputStream());
        if (!result.succeeded()) {
            throw new IOException(
                    "'make modules_install' failed (exit status " + result.exitCode() + "):\n" + result.outputTail(20));
        }
        if (!Files.isRegularFile(folder.resolve("lib/modules").resolve(release).resolve("modules.builtin"))) {
            throw new IOException("'make modules_install' left no lib/modules/" + release + "/modules.builtin");
        }
    }

    /**
     * Names this build by what the guest gets from it: the kernel image's and each module's content. A module that
     * klp-build's patched build rebuilt, and the next build put back from the unchanged sources, is the same build
     * (the build stamps are fixed), so its livepatches, image and boot snapshot stay valid.
     */
    private String buildId(String release) {
        Path root = tree.root();
        try {
            Sha256 hash = Sha256.of(release).add(root.resolve(tree.arch().bootImage()));
            Path order = root.resolve("modules.order");
            if (Files.isRegularFile(order)) {
                for (String line : Files.readAllLines(order)) {
                    Path ko = root.resolve(line.strip().replaceAll("\\.o$", ".ko"));
                    if (Files.isRegularFile(ko)) {
                        hash.add(line).add(ko);
                    }
                }
            }
            return hash.prefix(16);
        } catch (IOException e) {
            throw new KernelException("Could not read the build of " + tree.describe() + ": " + e.getMessage(), e);
        }
    }

    private Path writeFragments() throws IOException {
        GuestFragments fragments = GuestFragments.of(tree.arch());
        ConfigFragment guest = fragments.guest();
        ConfigFragment trim = fragments.trim();
        String hash = Sha256.of(guest.text() + trim.text()).prefix(12);
        Path folder = cache.root().resolve("source-config").resolve(hash);
        if (!Files.isRegularFile(folder.resolve(trim.name()))) {
            Path parent = Files.createDirectories(folder.getParent());
            Path partial = Files.createTempDirectory(parent, ".fragments-");
            guest.writeTo(partial);
            trim.writeTo(partial);
            try {
                Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Folders.deleteRecursively(partial);
                if (!Files.isRegularFile(folder.resolve(trim.name()))) {
                    throw e;
                }
            }
        }
        return folder;
    }

    private Path logFile(String treeKey) {
        try {
            return Files.createDirectories(cache.root().resolve("build-logs")).resolve("source-" + treeKey + ".log");
        } catch (IOException e) {
            throw new KernelException("Could not create the build log folder in " + cache.root(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new KernelException("Could not read " + file + " after the build", e);
        }
    }
}
