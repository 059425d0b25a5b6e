package dev.livepatch.testkit.source;

import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gives a tree the configuration of a livepatch guest. A tree with its own {@code .config} keeps it, with what
 * {@code livepatch-guest.config} asks merged in when missing (and said so); a tree without one starts from
 * {@code x86_64_defconfig} plus that fragment and {@code trim.config}. Either way each line of the guest fragment
 * must hold after {@code make olddefconfig}, or the tree is refused with the lines that do not. A default
 * configuration follows the toolkit's fragments: it is made again when they change.
 */
final class TreeConfiguration {
    private static final String MERGE = "scripts/kconfig/merge_config.sh";

    /**
     * Marks a {@code .config} the toolkit made from its fragments, with their hash: when the fragments change, such a
     * configuration is made again (a tree's own {@code .config}, without the mark, is never replaced).
     */
    static final String DEFAULT_MARK = ".testkit-config";

    /**
     * Holds the hash of the last {@code .config} found fit for a guest, and how it was made: an unchanged
     * configuration is not checked again ({@code make} itself settles it again when the compiler changes).
     */
    static final String CHECKED_MARK = ".testkit-config-checked";

    private final KernelTree tree;
    private final GuestFragments guestFragments;
    private final TreeShell shell;
    private final Path fragments;
    private final Duration timeout;
    private final OutputStream log;
    private final boolean trim;

    /**
     * @param fragments a folder holding the toolkit's fragments ({@link ConfigFragment#writeTo(Path)})
     * @param trim whether a default configuration leaves out what a guest never uses ({@code trim.config})
     */
    TreeConfiguration(
            KernelTree tree, TreeShell shell, Path fragments, Duration timeout, OutputStream log, boolean trim) {
        this.tree = tree;
        this.guestFragments = GuestFragments.of(tree.arch());
        this.shell = shell;
        this.fragments = fragments;
        this.timeout = timeout;
        this.log = log;
        this.trim = trim;
    }

    /** Configures the tree and says how, e.g. "x86_64_defconfig + livepatch-guest.config + trim.config". */
    String prepare() {
        forgetOutdatedDefault();
        Optional<String> checked = checkedBefore();
        if (checked.isPresent()) {
            return checked.get() + " (unchanged since its last build)";
        }
        String how;
        if (!Files.isRegularFile(tree.config())) {
            make(tree.arch().defconfig());
            merge(trim ? List.of(guest(), guestFragments.trim()) : List.of(guest()));
            how = tree.arch().defconfig() + " + " + guest().name()
                    + (trim ? " + " + guestFragments.trim().name() : "");
            mark(defaultHash());
        } else {
            List<String> missing = guest().unmet(ConfigFragment.readConfig(tree.config()));
            if (missing.isEmpty()) {
                how = Files.isRegularFile(tree.root().resolve(DEFAULT_MARK))
                        ? "the default configuration made at the tree's first build"
                        : "the tree's own .config";
            } else {
                merge(List.of(guest()));
                how = "the tree's own .config, with what a livepatch guest needs merged in: "
                        + String.join(", ", missing);
            }
        }
        make("olddefconfig");
        List<String> unmet = guest().unmet(ConfigFragment.readConfig(tree.config()));
        if (!unmet.isEmpty()) {
            throw new KernelException("The configuration of " + tree.describe() + " cannot make a livepatch guest:"
                    + " after merging " + guest().name() + " and 'make olddefconfig', these do not"
                    + " hold:\n  " + String.join("\n  ", unmet) + "\nSomething they depend on is off or missing"
                    + " (look each up with '/' in 'make menuconfig'), or remove the tree's .config to start from"
                    + " " + tree.arch().defconfig() + ".");
        }
        writeChecked(how);
        return how;
    }

    private ConfigFragment guest() {
        return guestFragments.guest();
    }

    private Optional<String> checkedBefore() {
        Path mark = tree.root().resolve(CHECKED_MARK);
        try {
            if (!Files.isRegularFile(tree.config()) || !Files.isRegularFile(mark)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(mark);
            return lines.size() == 2 && lines.get(0).equals(checkedHash())
                    ? Optional.of(lines.get(1))
                    : Optional.empty();
        } catch (IOException e) {
            throw new KernelException("Could not read " + mark, e);
        }
    }

    private void writeChecked(String how) {
        try {
            Files.writeString(tree.root().resolve(CHECKED_MARK), checkedHash() + "\n" + how + "\n");
        } catch (IOException e) {
            throw new KernelException("Could not write " + CHECKED_MARK + " in " + tree.describe(), e);
        }
    }

    /** The configuration checked, and what it was checked against. */
    private String checkedHash() throws IOException {
        return Sha256.of(tree.config()).add(guest().text()).hex();
    }

    private String defaultHash() {
        String fragments = guest().text() + (trim ? guestFragments.trim().text() : "");
        return Sha256.of(fragments).prefix(16);
    }

    private void forgetOutdatedDefault() {
        Path mark = tree.root().resolve(DEFAULT_MARK);
        try {
            if (Files.isRegularFile(mark) && !Files.readString(mark).strip().equals(defaultHash())) {
                Files.deleteIfExists(tree.config());
                Files.delete(mark);
            }
        } catch (IOException e) {
            throw new KernelException("Could not replace the outdated default configuration of " + tree.describe(), e);
        }
    }

    private void mark(String hash) {
        try {
            Files.writeString(tree.root().resolve(DEFAULT_MARK), hash + "\n");
        } catch (IOException e) {
            throw new KernelException("Could not write " + DEFAULT_MARK + " in " + tree.describe(), e);
        }
    }

    private void merge(List<ConfigFragment> merged) {
        List<String> command = new ArrayList<>(List.of("sh", MERGE, "-m", ".config"));
        merged.forEach(
                fragment -> command.add(fragments.resolve(fragment.name()).toString()));
        run(command);
    }

    private void make(String target) {
        run(List.of("make", "-s", target));
    }

    private void run(List<String> command) {
        ExecResult result = shell.run(command, Map.of(), List.of(fragments), List.of(), timeout, log);
        if (!result.succeeded()) {
            throw new KernelException("'" + String.join(" ", command) + "' failed in " + tree.describe()
                    + " (exit status " + result.exitCode() + "):\n" + result.outputTail(20));
        }
    }
}
