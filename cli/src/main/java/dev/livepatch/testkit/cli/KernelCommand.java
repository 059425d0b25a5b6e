package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "kernel",
        description = "Acquire the kernel (download, unpack, check livepatch support) and describe it.")
final class KernelCommand implements Callable<Integer> {
    @Mixin
    KernelOptions kernelOptions = new KernelOptions();

    @Option(names = "--list", description = "List the Debian kernel specs and the kernel each names today.")
    boolean list;

    @Override
    public Integer call() {
        if (list) {
            for (Kernels.Offered offered : Kernels.offered(Cache.standard(), Progress.console())) {
                System.out.printf("%-28s %-26s (%s)%n", offered.spec(), offered.release(), offered.from());
            }
            return 0;
        }
        Kernel kernel = kernelOptions.resolve(Progress.console());
        System.out.println("release:   " + kernel.release());
        System.out.println("source:    " + kernel.source());
        System.out.println("image:     " + kernel.image());
        System.out.println("build dir: " + kernel.buildDir());
        System.out.println("compiler:  " + kernel.compiler());
        System.out.println("arch:      " + kernel.arch());
        return 0;
    }
}
