package dev.livepatch.testkit.source;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.EntryLock;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a tree's own {@code scripts/livepatch/klp-build} on a source diff, starting from the tree's current build as
 * the original ({@code -S 2}, see {@link KlpOriginal}), and keeps the module in the cache by (build, diff, name,
 * replace). The module is checked before it is kept: built for the kernel's release, and marked {@code livepatch=Y}.
 */
final class KlpBuild {
    static final String AREA = "klp-modules";
    private static final String LOG = "klp-build.log";
    /** klp-build's {@code set_kernelversion} stashes this script and edits it while it runs. */
    private static final String STASHED = "scripts/setlocalversion";

    private final KernelTree tree;
    private final TreeShell shell;
    private final Cache cache;
    private final Progress progress;
    private final int jobs;
    private final Duration timeout;

    KlpBuild(TreeJob job) {
        this.tree = job.tree();
        this.shell = job.shell();
        this.cache = job.cache();
        this.progress = job.progress();
        this.jobs = job.jobs();
        this.timeout = job.timeout();
    }

    /** klp-build's {@code module_name_string}: only letters, digits, '_' and '-', at most 55 characters. */
    static String moduleFileName(String name) {
        String module = ("livepatch-" + name).replaceAll("[^a-zA-Z0-9_-]", "-");
        return module.substring(0, Math.min(55, module.length()));
    }

    /** The patch name klp-build takes from a diff's file name: without its last extension. */
    static String defaultName(Path diff) {
        String file = diff.getFileName().toString();
        int dot = file.lastIndexOf('.');
        return dot > 0 ? file.substring(0, dot) : file;
    }

    BuiltModule build(Kernel kernel, String buildId, Path diff, DiffOptions options) {
        if (!tree.hasKlpBuild()) {
            throw new ModuleBuildException(tree.describe() + " has no scripts/livepatch/klp-build, which Linux ships"
                    + " from 6.19: build livepatches from a diff with a 6.19 or later tree (e.g. source:debian:sid).");
        }
        byte[] diffBytes = readDiff(diff);
        String name = options.name().orElseGet(() -> defaultName(diff));
        String moduleFile = moduleFileName(name);
        String key = moduleFile + "-"
                + Sha256.of((buildId + "\n" + options.replace() + "\n" + moduleFile + "\n"
                                        + new String(diffBytes, StandardCharsets.ISO_8859_1))
                                .getBytes(StandardCharsets.ISO_8859_1))
                        .prefix(16);
        Optional<Path> cached = cache.find(AREA, key);
        Path entry = cached.orElseGet(() -> {
            SourceDiff changes = SourceDiff.parse(new String(diffBytes, StandardCharsets.ISO_8859_1), diff.toString());
            new DiffScope(tree.root()).check(changes, diff);
            return cache.computeIfAbsent(
                    AREA,
                    key,
                    "livepatch " + moduleFile + " from " + diff.getFileName(),
                    folder -> run(kernel, buildId, diff, diffBytes, changes, moduleFile, options.replace(), folder));
        });
        Path ko = entry.resolve(moduleFile + ".ko");
        ModInfo modInfo = check(kernel, ko, entry);
        return new BuiltModule(
                new PatchSource(
                        moduleFile.replace('-', '_'),
                        PatchKind.LIVEPATCH,
                        "klp-build of " + diff.getFileName() + (options.replace() ? "" : " (--no-replace)"),
                        entry),
                ko,
                modInfo,
                cached.isPresent());
    }

    private void run(
            Kernel kernel,
            String buildId,
            Path diff,
            byte[] diffBytes,
            SourceDiff changes,
            String moduleFile,
            boolean replace,
            Path folder)
            throws IOException {
        Path copy = Files.write(folder.resolve(diff.getFileName().toString()), diffBytes);
        Path ko = folder.resolve(moduleFile + ".ko");
        List<String> command = new ArrayList<>(List.of("scripts/livepatch/klp-build", "-S", "2", "-T", "-j" + jobs));
        if (!replace) {
            command.add("--no-replace");
        }
        command.addAll(List.of("-o", ko.toString(), copy.toString()));
        try (EntryLock lock = cache.lock(
                        TreeBuild.LOCK_AREA, TreeBuild.treeKey(tree.root()), "the kernel tree " + tree.root());
                OutputStream log = Files.newOutputStream(folder.resolve(LOG))) {
            if (!KlpOriginal.isRecorded(tree.root(), buildId)) {
                throw new ModuleBuildException("The tree " + tree.describe() + " was rebuilt after kernel "
                        + kernel.release() + " was built from it, so klp-build would diff against another kernel"
                        + " than the guest's: run again, so that the guest boots the tree's current build.");
            }
            TreeListing before = TreeListing.of(tree.root());
            SourceSnapshot sources = SourceSnapshot.of(tree.root(), touchedSources(changes));
            progress.run(
                    "klp-build " + diff.getFileName() + " -> " + moduleFile + ".ko (" + shell.describe() + ")",
                    step -> {
                        ExecResult result;
                        List<String> changedVersions;
                        try {
                            result =
                                    shell.run(command, TreeBuild.ENVIRONMENT, List.of(), List.of(folder), timeout, log);
                            changedVersions = KlpOriginal.changedSymbolVersions(tree.root());
                        } finally {
                            KlpOriginal.restoreSymbolVersions(tree.root());
                            settle(before, sources);
                        }
                        if (!changedVersions.isEmpty()) {
                            throw new ModuleBuildException(changedVersionsMessage(diff, changedVersions));
                        }
                        if (!result.succeeded() || !Files.isRegularFile(ko)) {
                            Path kept = Files.createDirectories(cache.root().resolve("build-logs"))
                                    .resolve(key(folder) + ".log");
                            Files.copy(folder.resolve(LOG), kept, StandardCopyOption.REPLACE_EXISTING);
                            throw new ModuleBuildException(
                                    KlpBuildFailure.explain(result, diff, changes, tree.describe(), kept));
                        }
                    });
        }
        check(kernel, ko, folder);
    }

    /** The diff's files and the one klp-build stashes and edits while it runs. */
    private static List<String> touchedSources(SourceDiff changes) {
        List<String> paths = new ArrayList<>(List.of(STASHED));
        changes.files().forEach(file -> paths.add(file.path()));
        return paths;
    }

    /**
     * Puts back any source klp-build left changed, then records whether the tree is still the guest's build with
     * klp-build's residue ({@link TreeState#afterKlpBuild}), so that the next build need not run {@code make}.
     */
    private void settle(TreeListing before, SourceSnapshot sources) throws IOException {
        List<String> restored = sources.restore();
        if (!restored.isEmpty()) {
            progress.note("klp-build left " + String.join(", ", restored) + " changed in " + tree.describe()
                    + ": put back as it was");
        }
        Optional<TreeState> state = TreeState.read(tree.root());
        if (state.isPresent()) {
            state.get()
                    .afterKlpBuild(before, TreeListing.of(tree.root()), Set.copyOf(sources.paths()))
                    .write(tree.root());
        }
    }

    private static String changedVersionsMessage(Path diff, List<String> changed) {
        int shown = Math.min(changed.size(), 10);
        return "The diff " + diff + " changes the type of " + changed.size() + " exported symbol"
                + (changed.size() == 1 ? "" : "s") + " (their CRCs differ with CONFIG_MODVERSIONS):\n  "
                + String.join("\n  ", changed.subList(0, shown))
                + (shown < changed.size() ? "\n  ... and " + (changed.size() - shown) + " more" : "")
                + "\nCode already loaded, and every module checked against these CRCs, keeps using the old type: a"
                + " livepatch cannot change it. Keep the types as they are, and keep any new state in a shadow"
                + " variable (klp_shadow_get_or_alloc) instead of a new field.";
    }

    private static String key(Path folder) {
        return "klp-build-" + folder.getFileName().toString().replaceAll("^\\.", "");
    }

    private static ModInfo check(Kernel kernel, Path ko, Path folder) {
        ModInfo modInfo = ModInfo.read(ko);
        String vermagic = modInfo.vermagic().orElse("");
        if (!vermagic.startsWith(kernel.release() + " ")) {
            throw new ModuleBuildException("klp-build made " + ko.getFileName() + " for '" + vermagic
                    + "', not for kernel " + kernel.release() + " (in " + folder + ")");
        }
        if (!modInfo.livepatch()) {
            throw new ModuleBuildException("klp-build made " + ko.getFileName() + " without livepatch=Y in its"
                    + " modinfo (in " + folder + ")");
        }
        return modInfo;
    }

    private static byte[] readDiff(Path diff) {
        try {
            return Files.readAllBytes(diff);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read the diff " + diff.toAbsolutePath() + ": " + e, e);
        }
    }
}
