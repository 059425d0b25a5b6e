package dev.livepatch.testkit.suites;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.module.ModuleFiles;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Swap for a guest that has none: a zram device (compressed memory) from the kernel's own {@code zram} module, which
 * the guest image does not carry, copied with the modules it depends on and loaded. Anonymous memory can then be
 * reclaimed, as on a machine with swap.
 */
final class ZramSwap {
    private static final Duration COMMAND = Duration.ofSeconds(30);

    private final Map<String, Path> modules;

    private ZramSwap(Map<String, Path> modules) {
        this.modules = modules;
    }

    /** The kernel's modules by name; empty when it has no zram module. */
    static Optional<ZramSwap> of(Kernel kernel) {
        try (Stream<Path> files = Files.walk(kernel.modulesDir())) {
            Map<String, Path> modules = files.filter(ModuleFiles::isModule)
                    .collect(Collectors.toMap(ModuleFiles::moduleName, Function.identity(), (first, second) -> first));
            return modules.containsKey("zram") ? Optional.of(new ZramSwap(modules)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not list the modules in " + kernel.modulesDir(), e);
        }
    }

    /** zram and what it depends on, dependencies first. */
    private List<String> loadOrder(String module, List<String> order) {
        for (String dependency : ModInfo.read(modules.get(module)).depends()) {
            String name = ModuleFiles.moduleName(dependency);
            if (!order.contains(name)) {
                loadOrder(name, order);
            }
        }
        order.add(module);
        return order;
    }

    /** Loads the modules the guest has not loaded yet, then makes {@code sizeKb} of zram its swap. */
    void start(GuestShell shell, long sizeKb) {
        for (String module : loadOrder("zram", new ArrayList<>())) {
            if (shell.exec("test -e /sys/module/" + module, COMMAND).succeeded()) {
                continue;
            }
            String remote = "/tmp/" + module + ".ko";
            try {
                shell.upload(ModuleFiles.read(modules.get(module)), remote, 0644);
            } catch (IOException e) {
                throw new UncheckedIOException("Could not read " + modules.get(module), e);
            }
            check(shell, "insmod " + remote);
        }
        check(
                shell,
                "echo " + sizeKb + "K > /sys/block/zram0/disksize && mkswap /dev/zram0 > /dev/null"
                        + " && swapon /dev/zram0");
    }

    static void stop(GuestShell shell) {
        check(shell, "swapoff /dev/zram0");
    }

    private static void check(GuestShell shell, String command) {
        ExecResult result = shell.exec(command, COMMAND);
        if (!result.succeeded()) {
            throw new AssertionError("zram swap: " + command + " failed (exit status " + result.exitCode() + "): "
                    + result.outputTail(10));
        }
    }
}
