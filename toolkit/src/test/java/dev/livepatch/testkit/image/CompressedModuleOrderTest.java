package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.module.ModuleFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Debian's kernels from 6.12 ship compressed modules, and some drivers are built in. */
class CompressedModuleOrderTest {
    @TempDir
    Path modules;

    @Test
    void compressedModulesAreOrderedAndReadUncompressedAndBuiltInOnesAreSkipped() throws IOException {
        Path virtio = compressedXz("kernel/drivers/virtio/virtio.ko", "");
        Path ring = compressedZstd("kernel/drivers/virtio/virtio_ring.ko", "virtio");
        Path net = compressedXz("kernel/drivers/net/virtio_net.ko", "net_failover,virtio_ring,virtio");
        Files.writeString(
                modules.resolve("modules.builtin"),
                "kernel/drivers/net/net_failover.ko\nkernel/net/core/failover.ko\n");
        ModuleOrder order = new ModuleOrder(modules);

        List<Path> files = order.resolve(List.of("virtio_net"));

        assertThat(files).containsExactly(virtio, ring, net);
        assertThat(ModuleFiles.uncompressedName(net)).isEqualTo("virtio_net.ko");
        assertThat(ModInfo.read(ring).depends()).containsExactly("virtio");
    }

    private Path compressedXz(String relative, String depends) throws IOException {
        Path plain = plain(relative, depends);
        Path compressed = plain.resolveSibling(plain.getFileName() + ".xz");
        try (OutputStream out = new XZOutputStream(Files.newOutputStream(compressed), new LZMA2Options())) {
            out.write(Files.readAllBytes(plain));
        }
        Files.delete(plain);
        return compressed;
    }

    private Path compressedZstd(String relative, String depends) throws IOException {
        Path plain = plain(relative, depends);
        Path compressed = plain.resolveSibling(plain.getFileName() + ".zst");
        Files.write(compressed, Zstd.compress(Files.readAllBytes(plain)));
        Files.delete(plain);
        return compressed;
    }

    private Path plain(String relative, String depends) throws IOException {
        Path file = modules.resolve(relative);
        ModinfoObjects.compile(file, "license=GPL", "depends=" + depends, "vermagic=6.12.117+deb13-amd64 SMP ");
        return file;
    }
}
