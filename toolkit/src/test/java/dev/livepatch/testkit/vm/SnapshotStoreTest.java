package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SnapshotStoreTest {
    private static final String QEMU = "7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)";

    @Test
    void theKeyDependsOnContentNotOnWhereTheCacheIs() {
        String here = key(Path.of("/root/.cache/livepatch-testkit"), "minimal-0123abcd", 1);
        String moved = key(Path.of("/srv/ci/runner-7/cache"), "minimal-0123abcd", 1);

        assertThat(moved).isEqualTo(here).startsWith("minimal-1cpu-512m-tcg-");
        assertThat(key(Path.of("/srv/ci/runner-7/cache"), "minimal-fedcba98", 1))
                .as("another image")
                .isNotEqualTo(here);
        assertThat(key(Path.of("/srv/ci/runner-7/cache"), "minimal-0123abcd", 2))
                .as("another machine")
                .isNotEqualTo(here);
    }

    @Test
    void theKeyOfAGivenGuestStaysTheSameFromReleaseToRelease() {
        // A changed key means every user's boot snapshots are booted cold again: change it only on purpose.
        assertThat(key(Path.of("/root/.cache/livepatch-testkit"), "minimal-0123abcd", 1))
                .isEqualTo("minimal-1cpu-512m-tcg-d5db813c6a31d9d5");
    }

    private static String key(Path cache, String imageId, int cpus) {
        String release = "6.1.0-56-amd64";
        Path kernelEntry = cache.resolve("kernels/debian-" + release + "-6.1.158-1");
        Kernel kernel = new Kernel(
                release,
                kernelEntry.resolve("boot/vmlinuz-" + release),
                kernelEntry.resolve("boot/config-" + release),
                kernelEntry.resolve("lib/modules/" + release),
                kernelEntry.resolve("usr/src/linux-headers-" + release),
                "gcc-12",
                "Debian linux-image-" + release + "-unsigned 6.1.158-1");
        Path imageEntry = cache.resolve("images/" + imageId);
        GuestImage image = new GuestImage(
                "minimal",
                imageId,
                release,
                imageEntry.resolve("initramfs.cpio"),
                imageEntry.resolve("id_ed25519"),
                "ssh-ed25519 AAAA guest",
                "");
        QemuCommand command = QemuCommand.directBoot(
                        cache.resolve("pvh-kernels/" + release + "-0a1b2c3d/vmlinux"), image.initramfs())
                .machine(new Machine(cpus, 512))
                .build();
        return SnapshotStore.key(kernel, image, command, QEMU);
    }
}
