package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The guest a command boots: kernel, image recipe, CPUs and memory. */
final class GuestOptions {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Option(names = "--image", paramLabel = "NAME", description = "Image recipe in guest-images/ (default: minimal).")
    String image;

    @Option(names = "--cpus", description = "Virtual CPUs (default: 1).")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "MIB", description = "Guest memory in MiB (default: 512).")
    Integer memory;

    Machine machine() {
        return new Machine(
                cpus != null ? cpus : Settings.CPUS.get(), memory != null ? memory : Settings.MEMORY_MIB.get());
    }

    String imageName() {
        return image != null ? image : Settings.IMAGE.get();
    }

    Prepared prepare(Progress progress) {
        return prepare(kernelOptions.spec(), progress);
    }

    /** The guest these options describe, on {@code kernelSpec} instead of the options' kernel. */
    Prepared prepare(String kernelSpec, Progress progress) {
        Kernel kernel = KernelOptions.resolve(kernelSpec, progress);
        GuestImage built = GuestImages.standard(progress).build(imageName(), kernel);
        return new Prepared(kernel, built, machine());
    }

    Guest start(Progress progress) {
        Prepared prepared = prepare(progress);
        return Guests.start(prepared.kernel(), prepared.image(), prepared.machine(), progress);
    }

    record Prepared(Kernel kernel, GuestImage image, Machine machine) {}
}
