package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import org.apiguardian.api.API;

/** Where a {@link Kernel} came from: typed for the code that needs it (klp-build, selftest sources), text for people. */
@API(status = STABLE, since = "0.2")
public sealed interface KernelOrigin {
    /** The text shown in messages and kept in cache keys, e.g. {@code Debian trixie linux-image-... 6.12.118-1}. */
    String describe();

    /**
     * A Debian packaged kernel.
     *
     * @param where the apt it came from: {@code this host's apt} or a suite
     * @param imagePackage the kernel image package
     * @param version that package's version
     */
    record DebianPackage(String where, String imagePackage, String version) implements KernelOrigin {
        @Override
        public String describe() {
            return "Debian " + where + " " + imagePackage + " " + version;
        }
    }

    /**
     * A kernel the toolkit built from a source tree.
     *
     * @param tree the tree's top folder, where it was built in place
     * @param treeDescription where the tree came from and where it is
     * @param buildId the build's identity: a rebuilt tree that changed has another
     */
    record SourceBuild(Path tree, String treeDescription, String buildId) implements KernelOrigin {
        @Override
        public String describe() {
            return "source tree " + treeDescription + ", build " + buildId;
        }
    }

    /**
     * A build tree someone else built.
     *
     * @param root its top folder
     * @param imageHash the start of its image's SHA-256, which tells a rebuilt image apart
     */
    record BuildTree(Path root, String imageHash) implements KernelOrigin {
        @Override
        public String describe() {
            return "build tree " + root + ", image " + imageHash;
        }
    }

    /** A kernel described only in words, by code that made a {@link Kernel} itself. */
    record Described(String text) implements KernelOrigin {
        @Override
        public String describe() {
            return text;
        }
    }
}
