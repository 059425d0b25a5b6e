package dev.livepatch.testkit.kbuild;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The gcc that built a kernel, read from its {@code CONFIG_CC_VERSION_TEXT}.
 *
 * @param program the command kbuild runs, e.g. {@code gcc-12}, {@code gcc} or {@code x86_64-linux-gnu-gcc-16}
 * @param major the gcc major version, e.g. {@code 12}
 */
@API(status = INTERNAL, since = "0.1")
public record KernelCompiler(String program, int major) {
    private static final Pattern GCC_VERSION_TEXT =
            Pattern.compile("^((?:[A-Za-z0-9_]+-)*gcc(?:-\\d+)?) \\(.*\\) (\\d+)\\.\\d+.*$");

    /**
     * Parses e.g. {@code gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0} or, with the target triplet Debian's 7.x kernels
     * name, {@code x86_64-linux-gnu-gcc-16 (Debian 16.2.0-4) 16.2.0}; other compilers are refused.
     */
    public static KernelCompiler parse(String versionText) {
        Matcher matcher = GCC_VERSION_TEXT.matcher(versionText == null ? "" : versionText.trim());
        if (!matcher.matches()) {
            throw new ModuleBuildException("The kernel was built by '" + versionText
                    + "', but the container builder only provides gcc toolchains; use the native builder"
                    + " with that compiler installed");
        }
        return new KernelCompiler(matcher.group(1), Integer.parseInt(matcher.group(2)));
    }
}
