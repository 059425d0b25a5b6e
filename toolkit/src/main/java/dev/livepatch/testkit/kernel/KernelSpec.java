package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * Which kernel to use, as users write it ({@code --kernel}, {@code livepatch.kernel}, {@code @LivepatchTest(kernel)}):
 * parsed once, printed back in the same spelling, and pinned to the exact kernel it gave.
 */
@API(status = STABLE, since = "0.2")
public sealed interface KernelSpec {
    /** The grammar, for option descriptions and errors. */
    String USAGE = "'debian' (this host release's packaged kernel), 'debian:<suite>' (bookworm, bookworm-backports,"
            + " trixie, sid, experimental), 'debian:<abi>' (e.g. debian:6.1.0-57-amd64), 'source:<tree>' or"
            + " 'source:debian:<suite>' (a kernel source tree, built by the toolkit), or the path of a kernel build"
            + " tree";

    String SOURCE_PREFIX = "source:";

    /** Parses a spec; an empty or incomplete one is refused with the grammar. */
    static KernelSpec parse(String text) {
        String spec = text == null ? "" : text.strip();
        if (spec.equals("debian")) {
            return new Debian("");
        }
        if (spec.startsWith("debian:")) {
            return new Debian(require(spec, spec.substring("debian:".length())));
        }
        if (spec.startsWith(SOURCE_PREFIX + "debian:")) {
            return new DebianSource(require(spec, spec.substring((SOURCE_PREFIX + "debian:").length())));
        }
        if (spec.startsWith(SOURCE_PREFIX)) {
            return new SourceTree(home(require(spec, spec.substring(SOURCE_PREFIX.length()))));
        }
        return new BuildTree(Path.of(require(spec, spec)));
    }

    private static String require(String spec, String part) {
        if (part.isBlank()) {
            throw new KernelException("Incomplete kernel spec '" + spec + "'. Use " + USAGE + ".");
        }
        return part;
    }

    private static Path home(String path) {
        return Path.of(path.startsWith("~/") ? System.getProperty("user.home") + path.substring(1) : path);
    }

    /** The spec that names exactly {@code kernel} again, from where it came from. */
    static KernelSpec naming(Kernel kernel) {
        if (kernel.origin() instanceof KernelOrigin.SourceBuild build) {
            return new SourceTree(build.tree());
        }
        if (kernel.origin() instanceof KernelOrigin.BuildTree tree) {
            return new BuildTree(tree.root());
        }
        return new Debian(kernel.release());
    }

    /** The spec that names exactly {@code kernel}, which this spec resolved to, again later. */
    KernelSpec pinned(Kernel kernel);

    /** Whether the kernel is built from a source tree by the toolkit (so that its klp-build can make patches). */
    default boolean isSourceTree() {
        return false;
    }

    /**
     * A Debian packaged kernel.
     *
     * @param which a suite or a kernel ABI; empty for this host release's kernel
     */
    record Debian(String which) implements KernelSpec {
        @Override
        public KernelSpec pinned(Kernel kernel) {
            return new Debian(kernel.release());
        }

        @Override
        public String toString() {
            return which.isEmpty() ? "debian" : "debian:" + which;
        }
    }

    /** Debian's {@code linux-source-<version>} of a suite's current kernel, built by the toolkit. */
    record DebianSource(String suite) implements KernelSpec {
        @Override
        public KernelSpec pinned(Kernel kernel) {
            return this;
        }

        @Override
        public boolean isSourceTree() {
            return true;
        }

        @Override
        public String toString() {
            return SOURCE_PREFIX + "debian:" + suite;
        }
    }

    /** A Linux source tree, built in place by the toolkit. */
    record SourceTree(Path root) implements KernelSpec {
        @Override
        public KernelSpec pinned(Kernel kernel) {
            return new SourceTree(kernel.buildDir());
        }

        @Override
        public boolean isSourceTree() {
            return true;
        }

        @Override
        public String toString() {
            return SOURCE_PREFIX + root;
        }
    }

    /** A kernel build tree someone already built ({@code --kernel-dir}). */
    record BuildTree(Path dir) implements KernelSpec {
        @Override
        public KernelSpec pinned(Kernel kernel) {
            return new BuildTree(dir.toAbsolutePath());
        }

        @Override
        public String toString() {
            return dir.toString();
        }
    }
}
