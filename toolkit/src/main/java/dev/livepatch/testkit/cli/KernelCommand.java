package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.progress.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
        name = "kernel",
        description = "Acquire the kernel (download, unpack, check livepatch support) and describe it.")
final class KernelCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Override
    public Integer call() {
        Kernel kernel = kernelOptions.resolve(Progress.console());
        System.out.println("release:   " + kernel.release());
        System.out.println("source:    " + kernel.source());
        System.out.println("image:     " + kernel.image());
        System.out.println("build dir: " + kernel.buildDir());
        System.out.println("compiler:  " + kernel.compiler());
        return 0;
    }
}
