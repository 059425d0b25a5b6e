package dev.livepatch.testkit.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where an unpacked Debian kernel keeps its parts: {@code /boot} and {@code /lib/modules} up to 6.12's bookworm
 * packages, {@code /usr/lib/modules} from trixie, with the kernel and configuration inside it from 7.x.
 */
record KernelLayout(Path image, Path configFile, KernelConfig config, Path modules, Path build) {
    static KernelLayout find(Path root, String release) {
        Path image = first(
                root,
                release,
                "boot/vmlinuz-" + release,
                "usr/lib/modules/" + release + "/vmlinuz.unsigned",
                "usr/lib/modules/" + release + "/vmlinuz",
                "lib/modules/" + release + "/vmlinuz");
        Path configFile = first(
                root,
                release,
                "boot/config-" + release,
                "usr/lib/modules/" + release + "/config",
                "lib/modules/" + release + "/config");
        Path modules = first(root, release, "lib/modules/" + release, "usr/lib/modules/" + release);
        Path build = root.resolve("usr/src/linux-headers-" + release);
        if (!Files.exists(build.resolve("Module.symvers"))) {
            throw incomplete(root, build.resolve("Module.symvers"));
        }
        return new KernelLayout(image, configFile, KernelConfig.read(configFile), modules, build);
    }

    private static Path first(Path root, String release, String... candidates) {
        Optional<Path> found = List.of(candidates).stream()
                .map(root::resolve)
                .filter(Files::exists)
                .findFirst();
        return found.orElseThrow(() -> incomplete(root, root.resolve(candidates[0])));
    }

    private static KernelException incomplete(Path root, Path missing) {
        return new KernelException("Cached kernel " + root + " is incomplete (" + missing
                + " is missing). Remove it with './testkit cache clean' and retry.");
    }
}
