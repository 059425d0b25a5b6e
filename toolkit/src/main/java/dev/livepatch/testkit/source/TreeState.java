package dev.livepatch.testkit.source;

import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the toolkit last built in a tree, kept in the tree beside its {@code .config} marks: the build, its cache
 * entry, the tree's listing right after it, and the listing after klp-build's patched builds since (their
 * <em>residue</em>: patched objects and a patched {@code vmlinux} from sources put back as they were). A tree listed
 * as either is that build: the guest's kernel is already in the cache, and klp-build's own {@code make} rebuilds
 * from the sources whatever it needs, so no {@code make} runs before either. Anything else, a user's edit
 * included, is built with {@code make}. A state that does not read back whole is not trusted.
 *
 * @param identity what built it (the toolchain, make's options), so another toolchain builds again
 * @param built the tree's fingerprint right after the build
 * @param residue the tree's fingerprint after the last klp-build on that build, when it left only build outputs
 */
record TreeState(
        String identity, String buildId, String release, String entryKey, String built, Optional<String> residue) {
    static final String FILE = ".testkit-build-state";
    static final String PARTIAL = FILE + ".partial";
    private static final String NONE = "-";
    private static final String CHECK = "check";

    TreeState {
        Objects.requireNonNull(identity);
        Objects.requireNonNull(buildId);
        Objects.requireNonNull(release);
        Objects.requireNonNull(entryKey);
        Objects.requireNonNull(built);
    }

    /** Whether a tree with {@code fingerprint} is this build, as built or with klp-build's residue. */
    boolean describes(String fingerprint) {
        return built.equals(fingerprint) || residue.filter(fingerprint::equals).isPresent();
    }

    /**
     * The state after a klp-build that began on {@code before} and left {@code after}: still this build, with the
     * residue, when every change is a build output or one of {@code sources} (the diff's files and what klp-build
     * stashes, checked to hold what they held before); otherwise no residue, so the next build runs {@code make}.
     */
    TreeState afterKlpBuild(TreeListing before, TreeListing after, Set<String> sources) {
        boolean onlyBuildOutputs = describes(before.fingerprint())
                && after.changedSince(before).stream()
                        .allMatch(path ->
                                sources.contains(path) || after.isBuildOutput(path) || before.isBuildOutput(path));
        return new TreeState(
                identity,
                buildId,
                release,
                entryKey,
                built,
                onlyBuildOutputs ? Optional.of(after.fingerprint()) : Optional.empty());
    }

    static Optional<TreeState> read(Path root) {
        Path file = root.resolve(FILE);
        try {
            if (!Files.isRegularFile(file)) {
                return Optional.empty();
            }
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int check = content.lastIndexOf(CHECK + " ");
            String text = content.substring(0, Math.max(0, check));
            if (check < 0
                    || !Sha256.of(text)
                            .prefix(32)
                            .equals(content.substring(check + CHECK.length() + 1)
                                    .strip())) {
                return Optional.empty();
            }
            Map<String, String> fields = new HashMap<>();
            for (String line : text.split("\n")) {
                int space = line.indexOf(' ');
                if (space > 0) {
                    fields.put(line.substring(0, space), line.substring(space + 1));
                }
            }
            String residue = fields.get("residue");
            return Optional.of(new TreeState(
                    fields.get("identity"),
                    fields.get("build"),
                    fields.get("release"),
                    fields.get("entry"),
                    fields.get("built"),
                    NONE.equals(residue) ? Optional.empty() : Optional.of(residue)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Writes the state whole or not at all (a temporary file renamed into place). */
    void write(Path root) throws IOException {
        String text = "identity " + identity + "\nbuild " + buildId + "\nrelease " + release + "\nentry " + entryKey
                + "\nbuilt " + built + "\nresidue " + residue.orElse(NONE) + "\n";
        Path partial = root.resolve(PARTIAL);
        Files.writeString(partial, text + CHECK + " " + Sha256.of(text).prefix(32) + "\n", StandardCharsets.UTF_8);
        Files.move(partial, root.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forgets the state: the tree is built with {@code make} next time. */
    static void forget(Path root) throws IOException {
        Files.deleteIfExists(root.resolve(FILE));
    }
}
