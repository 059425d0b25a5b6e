package dev.livepatch.testkit.kernel;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A kernel built by the user: a kbuild output tree with {@code bzImage}, {@code .config} and {@code Module.symvers}. */
final class BuildTreeKernel {
    private BuildTreeKernel() {}

    static Kernel open(Path tree) {
        Path root = tree.toAbsolutePath().normalize();
        if (!Files.isDirectory(root)) {
            throw new KernelException("Kernel build tree " + root + " does not exist. Give --kernel-dir the folder"
                    + " where 'make' built the kernel, or use --kernel debian.");
        }
        Path config = root.resolve(".config");
        // The tree's own architecture (x86_64 until its .config says otherwise) names its boot image.
        Arch arch = Files.isRegularFile(config) ? KernelConfig.read(config).arch() : Arch.X86_64;
        Path image = root.resolve(arch.bootImage());
        Path release = root.resolve("include/config/kernel.release");
        for (Path required : List.of(image, config, root.resolve("Module.symvers"), release)) {
            if (!Files.isRegularFile(required)) {
                throw new KernelException("Kernel build tree " + root + " is incomplete: " + root.relativize(required)
                        + " is missing. Build it first with 'make -j$(nproc) " + image.getFileName() + " modules'.");
            }
        }
        String name;
        try {
            name = Files.readString(release).strip();
        } catch (IOException e) {
            throw new KernelException("Could not read the kernel release from " + release, e);
        }
        KernelConfig kernelConfig = KernelConfig.read(config);
        kernelConfig.requireLivepatchSupport(name + " (" + root + ")");
        // The image's hash is part of what the kernel is: guest images and boot snapshots are keyed by it, so a
        // rebuilt tree gets new ones.
        return new Kernel(
                name,
                image,
                config,
                root,
                root,
                kernelConfig.compiler(),
                new KernelOrigin.BuildTree(root, hash(image)));
    }

    private static String hash(Path image) {
        try {
            return Sha256.of(image).prefix(16);
        } catch (IOException e) {
            throw new KernelException("Could not read the kernel image " + image, e);
        }
    }
}
