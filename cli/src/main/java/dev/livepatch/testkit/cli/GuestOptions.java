package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.KernelSpec;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.GuestPlan;
import dev.livepatch.testkit.vm.Machine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The guest a command boots: kernel, image recipe, CPUs and memory. */
final class GuestOptions {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Option(
            names = "--image",
            paramLabel = "NAME",
            description =
                    "Image recipe: minimal, selftest or one of the project's own in livepatch.images.dir (default: minimal).")
    String image;

    @Mixin
    MachineOptions machineOptions = new MachineOptions();

    Machine machine() {
        return machineOptions.machine();
    }

    String imageName() {
        return image != null ? image : Settings.IMAGE.get();
    }

    GuestPlan.Prepared prepare(Progress progress) {
        return prepare(kernelOptions.spec(), progress);
    }

    /** The guest these options describe, on {@code kernelSpec} instead of the options' kernel. */
    GuestPlan.Prepared prepare(KernelSpec kernelSpec, Progress progress) {
        return new GuestPlan(kernelSpec.toString(), kernelOptions.arch(), imageName(), machine()).prepare(progress);
    }

    Guest start(Progress progress) {
        return prepare(progress).start(progress);
    }
}
