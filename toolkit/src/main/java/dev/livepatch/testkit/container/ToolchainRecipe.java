package dev.livepatch.testkit.container;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kbuild.KernelCompiler;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.util.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a toolchain image holds: a Debian release and the packages kbuild needs, with the gcc major
 * version that built the kernel, and for a kernel of another architecture that release's cross compiler of the same
 * version. Images are tagged by the recipe's hash, so an unchanged recipe always finds the image it built before.
 */
record ToolchainRecipe(String debianRelease, int gccMajor, Arch target, List<String> packages) {
    static final String BASE_REPOSITORY = "livepatch-testkit/toolchain-rootfs";
    static final String IMAGE_REPOSITORY = "livepatch-testkit/toolchain";

    /**
     * The Debian release whose default compiler is each gcc major version. Experimental ships no compiler of its
     * own: its kernels name sid's gcc, and are built in sid's image.
     */
    private static final Map<Integer, String> RELEASE_BY_GCC =
            new TreeMap<>(Map.of(10, "bullseye", 12, "bookworm", 14, "trixie", 16, "sid"));

    private static final List<String> KBUILD_PACKAGES =
            List.of("make", "libc6-dev", "libelf-dev", "bc", "bison", "flex", "libssl-dev");

    /**
     * What building a whole kernel tree adds, and its {@code klp-build}: objtool compiles its klp subcommands only
     * when libxxhash is there at the first build; klp-build runs gawk and patchutils' recountdiff; modules_install
     * runs depmod. The architectures' plain defconfigs need the rest: ppc64le's and s390's sign modules with a key
     * made by openssl, loongarch's compress the kernel and modules with zstd and build the in-kernel headers with xz,
     * and arm64's generates the Adreno GPU driver's register headers (drm/msm) with a Python script.
     */
    private static final List<String> TREE_PACKAGES =
            List.of("libxxhash-dev", "patchutils", "gawk", "kmod", "cpio", "openssl", "xz-utils", "zstd", "python3");

    ToolchainRecipe {
        packages = List.copyOf(packages);
    }

    /** The recipe for kernels of this host's architecture. */
    static ToolchainRecipe forCompiler(KernelCompiler compiler) {
        return forCompiler(compiler, Arch.host());
    }

    /**
     * The recipe for kernels of {@code target} built by {@code compiler}: for another architecture than this host's,
     * with the release's cross compiler of that version ({@code gcc-16-aarch64-linux-gnu}) and its unversioned name
     * ({@code gcc-aarch64-linux-gnu}, which is that version in the release whose default it is), so that
     * {@code CROSS_COMPILE=aarch64-linux-gnu-} finds it.
     */
    static ToolchainRecipe forCompiler(KernelCompiler compiler, Arch target) {
        String release = RELEASE_BY_GCC.get(compiler.major());
        if (release == null) {
            String known = RELEASE_BY_GCC.entrySet().stream()
                    .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                    .collect(Collectors.joining(", "));
            throw new ModuleBuildException("The kernel was built by gcc " + compiler.major()
                    + ", but the container builder has Debian toolchains only for gcc " + known
                    + "; use the native builder with gcc " + compiler.major() + " installed");
        }
        String gcc = "gcc-" + compiler.major();
        List<String> packages = new ArrayList<>(List.of("gcc", gcc));
        packages.addAll(KBUILD_PACKAGES);
        packages.addAll(TREE_PACKAGES);
        if (compiler.major() >= 14) {
            // Newer Debian headers ship a BTF-only vmlinux, so kbuild generates module BTF with pahole.
            packages.add("dwarves");
        }
        if (!target.isHost()) {
            packages.add(target.crossGccPackage(compiler.major()));
            packages.add("gcc-" + target.triplet());
            // Its C library, to link the kernel selftests' helper programs statically for the guest.
            packages.add("libc6-dev-" + target.debian() + "-cross");
        }
        return new ToolchainRecipe(release, compiler.major(), target, packages);
    }

    /** A short content hash of the recipe, used as the images' tag. */
    String hash() {
        String canonical =
                "debian=" + debianRelease + "\ngcc=" + gccMajor + "\npackages=" + String.join(",", packages) + "\n";
        return Sha256.of(canonical).prefix(16);
    }

    /** The image imported from the bootstrapped root filesystem. */
    String baseImage() {
        return BASE_REPOSITORY + ":" + hash();
    }

    /** The image kbuild runs in, derived from {@link #baseImage()}. */
    String image() {
        return IMAGE_REPOSITORY + ":" + hash();
    }

    String describe() {
        return "Debian " + debianRelease + " with gcc-" + gccMajor
                + (target.isHost() ? "" : " and " + target.crossGcc(gccMajor));
    }
}
