package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "image", description = "Build (or find in the cache) a guest image and describe it.")
final class ImageCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Option(names = "--image", paramLabel = "NAME", description = "Image recipe in guest-images/ (default: minimal).")
    String image;

    @Override
    public Integer call() {
        Progress progress = Progress.console();
        Kernel kernel = kernelOptions.resolve(progress);
        GuestImage built = GuestImages.standard(progress).build(image != null ? image : Settings.IMAGE.get(), kernel);
        System.out.println("image:     " + built.name() + " (" + built.id() + ")");
        System.out.println("initramfs: " + built.initramfs());
        System.out.println("host key:  " + built.hostKey());
        return 0;
    }
}
