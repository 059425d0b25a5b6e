package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.GuestPlan;
import dev.livepatch.testkit.vm.Machine;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "image", description = "Build (or find in the cache) a guest image and describe it.")
final class ImageCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Option(
            names = "--image",
            paramLabel = "NAME",
            description =
                    "Image recipe: minimal, selftest or one of the project's own in livepatch.images.dir (default: minimal).")
    String image;

    @Override
    public Integer call() {
        Progress progress = Progress.console();
        GuestImage built = new GuestPlan(
                        kernelOptions.spec().toString(),
                        image != null ? image : Settings.IMAGE.get(),
                        new Machine(Settings.CPUS.get(), Settings.MEMORY_MIB.get()))
                .prepare(progress)
                .image();
        System.out.println("image:     " + built.name() + " (" + built.id() + ")");
        System.out.println("initramfs: " + built.initramfs());
        System.out.println("host key:  " + built.hostKey());
        return 0;
    }
}
