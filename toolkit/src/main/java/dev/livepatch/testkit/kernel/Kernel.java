package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.config.Arch;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A livepatch-capable kernel, ready to boot and to build modules against.
 *
 * @param release the kernel release ({@code uname -r}), e.g. {@code 6.1.0-56-amd64}
 * @param image the bootable image ({@code vmlinuz} / {@code bzImage})
 * @param config the kernel's {@code .config}
 * @param modulesDir the folder holding this kernel's modules ({@code lib/modules/<release>} or a build tree)
 * @param buildDir the kbuild folder for {@code make -C <buildDir> M=... modules}
 * @param compiler the compiler that built the kernel ({@code CONFIG_CC_VERSION_TEXT})
 * @param origin where it came from
 */
@API(status = STABLE, since = "0.1")
public record Kernel(
        String release, Path image, Path config, Path modulesDir, Path buildDir, String compiler, KernelOrigin origin) {

    /** A kernel described in words only ({@link KernelOrigin.Described}). */
    public Kernel(
            String release, Path image, Path config, Path modulesDir, Path buildDir, String compiler, String source) {
        this(release, image, config, modulesDir, buildDir, compiler, new KernelOrigin.Described(source));
    }

    /**
     * The architecture the kernel runs on, read from its configuration ({@link KernelConfig#arch()}); x86_64 when the
     * configuration cannot be read.
     */
    public Arch arch() {
        return config != null && Files.isRegularFile(config)
                ? KernelConfig.read(config).arch()
                : Arch.X86_64;
    }

    /** Where it came from, for messages, e.g. {@code Debian bookworm linux-image-6.1.0-56-amd64 6.1.192-2}. */
    public String source() {
        return origin.describe();
    }
}
