package dev.livepatch.testkit.module;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.apiguardian.api.API;
import org.tukaani.xz.XZInputStream;

/**
 * Kernel module files as distributions ship them: plain {@code .ko}, or compressed {@code .ko.xz} (Debian from
 * 6.12) and {@code .ko.zst}. The toolkit reads and loads them uncompressed.
 */
@API(status = INTERNAL, since = "0.1")
public final class ModuleFiles {
    private static final List<String> SUFFIXES = List.of(".ko", ".ko.xz", ".ko.zst");

    private ModuleFiles() {}

    /** Whether the file is a kernel module, compressed or not. */
    public static boolean isModule(Path file) {
        return suffix(file).isPresent();
    }

    /** The file's name without its module suffix ({@code virtio_net.ko.xz} gives {@code virtio_net}). */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - suffix(file).orElse("").length());
    }

    /**
     * The name the kernel knows a module by, from its file: the base name with dashes as underscores, as kbuild
     * names {@code KBUILD_MODNAME} ({@code snd-hda-intel.ko} is {@code snd_hda_intel}).
     */
    public static String moduleName(Path file) {
        return moduleName(baseName(file));
    }

    /** The kernel's name for a module named {@code name} in a file or a {@code depends=} list. */
    public static String moduleName(String name) {
        return name.replace('-', '_');
    }

    /** The module file's name once uncompressed ({@code virtio_net.ko.xz} gives {@code virtio_net.ko}). */
    public static String uncompressedName(Path file) {
        return baseName(file) + ".ko";
    }

    /** The module's ELF bytes, uncompressed. */
    public static byte[] read(Path file) throws IOException {
        String name = file.getFileName().toString();
        if (name.endsWith(".ko.xz")) {
            try (InputStream in = new XZInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                return in.readAllBytes();
            }
        }
        if (name.endsWith(".ko.zst")) {
            try (InputStream in = new ZstdCompressorInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
                return in.readAllBytes();
            }
        }
        return Files.readAllBytes(file);
    }

    private static Optional<String> suffix(Path file) {
        String name = file.getFileName().toString();
        return SUFFIXES.stream().filter(name::endsWith).reduce((shorter, longer) -> longer);
    }
}
