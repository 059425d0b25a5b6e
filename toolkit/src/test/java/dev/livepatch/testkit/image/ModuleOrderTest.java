package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleOrderTest {
    @TempDir
    static Path modules;

    @BeforeAll
    static void modulesFolder() {
        module("kernel/drivers/virtio/virtio.ko", "");
        module("kernel/drivers/virtio/virtio_ring.ko", "virtio");
        module("kernel/drivers/virtio/virtio_pci.ko", "virtio_ring,virtio");
        module("kernel/drivers/net/virtio_net.ko", "net_failover,virtio_ring,virtio");
        module("kernel/drivers/net/net_failover.ko", "failover");
        module("kernel/net/core/failover.ko", "");
        module("kernel/crypto/crc32c-intel.ko", "");
        module("kernel/fs/btrfs/btrfs.ko", "crc32c-intel,missing_helper");
        module("kernel/test/loop_a.ko", "loop_b");
        module("kernel/test/loop_b.ko", "loop_c");
        module("kernel/test/loop_c.ko", "loop_a");
        module("kernel/fs/stack/stacked.ko", "btrfs");
    }

    @Test
    void putsEveryDependencyBeforeItsUsersAndEachModuleOnce() {
        ModuleOrder order = new ModuleOrder(modules);

        List<Path> files = order.resolve(List.of("virtio_pci", "virtio_net"));

        assertThat(files.stream().map(order::relative).map(Path::toString))
                .containsExactly(
                        "kernel/drivers/virtio/virtio.ko",
                        "kernel/drivers/virtio/virtio_ring.ko",
                        "kernel/drivers/virtio/virtio_pci.ko",
                        "kernel/net/core/failover.ko",
                        "kernel/drivers/net/net_failover.ko",
                        "kernel/drivers/net/virtio_net.ko");
    }

    @Test
    void treatsDashAndUnderscoreInModuleNamesAlike() {
        ModuleOrder order = new ModuleOrder(modules);

        assertThat(order.resolve(List.of("crc32c_intel", "crc32c-intel")))
                .containsExactly(modules.resolve("kernel/crypto/crc32c-intel.ko"));
        assertThat(order.resolve(List.of("virtio-ring")))
                .containsExactly(
                        modules.resolve("kernel/drivers/virtio/virtio.ko"),
                        modules.resolve("kernel/drivers/virtio/virtio_ring.ko"));
    }

    @Test
    void aMissingWantedModuleIsNamedWithTheFolderAndAHint() {
        ModuleOrder order = new ModuleOrder(modules);

        assertThatThrownBy(() -> order.resolve(List.of("virtio_blk")))
                .isInstanceOf(ImageException.class)
                .hasMessage("Kernel module virtio_blk is not in " + modules
                        + ". It may be built into this kernel: remove it from the recipe's 'modules'.");
    }

    @Test
    void anOptionalModuleIsLoadedWhenTheKernelHasItAndLeftOutOtherwise() {
        ModuleOrder order = new ModuleOrder(modules);

        assertThat(order.resolve(List.of("virtio_console?", "crc32c_intel?")))
                .containsExactly(modules.resolve("kernel/crypto/crc32c-intel.ko"));
    }

    @Test
    void aMissingDependencyNamesTheModulesThatNeededIt() {
        ModuleOrder order = new ModuleOrder(modules);

        assertThatThrownBy(() -> order.resolve(List.of("stacked")))
                .isInstanceOf(ImageException.class)
                .hasMessage("Kernel module missing_helper is not in " + modules + " (needed by btrfs <- stacked)."
                        + " It may be built into this kernel: remove it from the recipe's 'modules'.");
    }

    @Test
    void aDependencyCycleIsReportedInsteadOfRecursingForever() {
        ModuleOrder order = new ModuleOrder(modules);

        assertThatThrownBy(() -> order.resolve(List.of("loop_a")))
                .isInstanceOf(ImageException.class)
                .hasMessage("Kernel modules in " + modules + " depend on each other in a cycle:"
                        + " loop_a -> loop_b -> loop_c -> loop_a");
    }

    private static void module(String relative, String depends) {
        try {
            ModinfoObjects.compile(
                    modules.resolve(relative), "license=GPL", "depends=" + depends, "vermagic=6.1.0-56-amd64 SMP ");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
