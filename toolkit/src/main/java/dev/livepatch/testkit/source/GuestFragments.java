package dev.livepatch.testkit.source;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelException;
import java.util.Map;

/**
 * The fragments that make a tree's configuration a livepatch guest of one architecture: what a guest needs
 * ({@code livepatch-guest.config}) and what a default configuration leaves out ({@code trim.config}); x86_64's keep
 * their names, another architecture's carry it ({@code livepatch-guest-arm64.config}).
 */
record GuestFragments(Arch arch, ConfigFragment guest, ConfigFragment trim) {
    private static final Map<Arch, GuestFragments> BUNDLED = Map.of(
            Arch.X86_64,
            new GuestFragments(Arch.X86_64, ConfigFragment.GUEST, ConfigFragment.TRIM),
            Arch.ARM64,
            new GuestFragments(
                    Arch.ARM64,
                    ConfigFragment.bundled("livepatch-guest-arm64.config"),
                    ConfigFragment.bundled("trim-arm64.config")),
            Arch.PPC64LE,
            new GuestFragments(
                    Arch.PPC64LE,
                    ConfigFragment.bundled("livepatch-guest-ppc64le.config"),
                    ConfigFragment.bundled("trim-ppc64le.config")),
            Arch.S390X,
            new GuestFragments(
                    Arch.S390X,
                    ConfigFragment.bundled("livepatch-guest-s390x.config"),
                    ConfigFragment.bundled("trim-s390x.config")),
            Arch.LOONGARCH64,
            new GuestFragments(
                    Arch.LOONGARCH64,
                    ConfigFragment.bundled("livepatch-guest-loongarch64.config"),
                    ConfigFragment.bundled("trim-loongarch64.config")));

    /** The toolkit's fragments for {@code arch}; refused for an architecture that has none yet. */
    static GuestFragments of(Arch arch) {
        GuestFragments fragments = BUNDLED.get(arch);
        if (fragments == null) {
            throw new KernelException("The toolkit has no livepatch guest configuration for " + arch + " yet (it has"
                    + " them for "
                    + String.join(
                            ", ",
                            Arch.ALL.stream()
                                    .filter(BUNDLED::containsKey)
                                    .map(Arch::name)
                                    .toList()) + "): a source tree cannot be built for it.");
        }
        return fragments;
    }
}
