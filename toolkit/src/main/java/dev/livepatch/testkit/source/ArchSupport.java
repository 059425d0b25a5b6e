package dev.livepatch.testkit.source;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * What a tree and the toolkit can do for an architecture, probed rather than read from version numbers: whether the
 * tree's {@code arch/<arch>/Kconfig} offers livepatching, and whether klp-build can make patches there.
 */
@API(status = INTERNAL, since = "0.3")
public final class ArchSupport {
    /** What an architecture's Kconfig must select for livepatching to be offered. */
    static final List<String> LIVEPATCH_SELECTS = List.of("HAVE_LIVEPATCH", "HAVE_RELIABLE_STACKTRACE");

    private ArchSupport() {}

    /**
     * Refuses klp-build for any architecture but x86_64, before anything is downloaded or built: only x86_64 has
     * {@code HAVE_KLP_BUILD} (objtool's klp subcommands).
     */
    public static void requireKlpBuild(Arch arch) {
        if (!hasKlpBuild(arch)) {
            throw new ModuleBuildException("klp-build supports x86_64 only (no other architecture selects"
                    + " HAVE_KLP_BUILD), so a livepatch cannot be made from a source diff for " + arch + ". Write the"
                    + " livepatch as a module folder instead (a patches/<name> folder with its .c, Kbuild file and"
                    + " patch.properties, as the samples in patches/ are) and build it with './testkit build --arch "
                    + arch + " <name>': it is built with kbuild for the guest's architecture.");
        }
    }

    /** Whether the kernel's klp-build can make a livepatch for {@code arch}: x86_64's alone selects HAVE_KLP_BUILD. */
    public static boolean hasKlpBuild(Arch arch) {
        return arch.equals(Arch.X86_64);
    }

    /**
     * Refuses a tree whose Kconfig does not offer livepatching for {@code arch}, quoting what is missing: each of
     * {@link #LIVEPATCH_SELECTS} must be selected in {@code arch/<arch>/Kconfig}.
     */
    static void requireLivepatch(Path root, String describe, Arch arch) {
        Path kconfig = root.resolve(arch.kconfig());
        String text;
        try {
            text = Files.readString(kconfig);
        } catch (IOException e) {
            throw new KernelException(
                    "The tree " + describe + " has no " + arch.kconfig() + ", so it cannot be" + " built for " + arch
                            + ".",
                    e);
        }
        List<String> missing = LIVEPATCH_SELECTS.stream()
                .filter(symbol -> !Pattern.compile("(?m)^\\s*select\\s+" + symbol + "\\b")
                        .matcher(text)
                        .find())
                .map(symbol -> "select " + symbol)
                .toList();
        if (!missing.isEmpty()) {
            throw new KernelException("The tree " + describe + " cannot livepatch " + arch + ": its "
                    + arch.kconfig() + " lacks '" + String.join("' and '", missing) + "'. Its Linux does not offer"
                    + " livepatching on " + arch + "; use a tree whose " + arch.kconfig() + " selects them (Debian's"
                    + " newest, --kernel source:debian:sid).");
        }
    }
}
