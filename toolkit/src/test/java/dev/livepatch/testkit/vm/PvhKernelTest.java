package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

class PvhKernelTest {
    private static final int PHYS32_ENTRY = 18;
    private static final int OTHER_XEN_NOTE = 17;

    @TempDir
    Path dir;

    /** An ELF64 file whose only program header is a note segment holding one Xen note of {@code type}. */
    static byte[] elf(int type) {
        ByteBuffer elf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1});
        elf.putLong(0x20, 64).putShort(0x36, (short) 56).putShort(0x38, (short) 1);
        elf.putInt(64, 4).putLong(64 + 8, 128).putLong(64 + 32, 20);
        elf.putInt(128, 4).putInt(132, 4).putInt(136, type);
        elf.put(140, new byte[] {'X', 'e', 'n', 0});
        elf.putInt(144, 0x1000000);
        return elf.array();
    }

    /** A bzImage (boot protocol 2.15) whose payload is {@code compressed}, followed by the appended size. */
    static byte[] bzImage(byte[] compressed) {
        ByteBuffer image =
                ByteBuffer.allocate(1024 + 16 + compressed.length + 64).order(ByteOrder.LITTLE_ENDIAN);
        image.put(0x1F1, (byte) 1);
        image.putInt(0x202, 0x53726448);
        image.putShort(0x206, (short) 0x020F);
        image.putInt(0x248, 16);
        image.putInt(0x24C, compressed.length + 4);
        image.put(1024 + 16, compressed);
        image.putInt(1024 + 16 + compressed.length, 256);
        return image.array();
    }

    static byte[] xz(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new XZOutputStream(bytes, new LZMA2Options(), XZ.CHECK_CRC32)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    static byte[] zstd(byte[] content) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdCompressorOutputStream(bytes)) {
            out.write(content);
        }
        return bytes.toByteArray();
    }

    private Kernel kernel(byte[] image) throws IOException {
        Path file = Files.write(dir.resolve("vmlinuz"), image);
        return new Kernel("6.1.0-test", file, null, null, null, "gcc", "test kernel");
    }

    @Test
    void bootsThePvhKernelInsideAnXzBzImageUncompressed() throws IOException {
        Cache cache = new Cache(dir.resolve("cache"));
        Kernel kernel = kernel(bzImage(xz(elf(PHYS32_ENTRY))));

        Path boot = PvhKernel.bootFile(kernel, cache);

        assertThat(boot.getFileName().toString()).isEqualTo("vmlinux");
        assertThat(boot).startsWith(cache.root().resolve(PvhKernel.AREA));
        assertThat(Files.readAllBytes(boot)).isEqualTo(elf(PHYS32_ENTRY));
        assertThat(PvhKernel.bootFile(kernel, cache)).isEqualTo(boot);
    }

    @Test
    void unpacksGzipPayloadsToo() throws IOException {
        Kernel kernel = kernel(bzImage(gzip(elf(PHYS32_ENTRY))));
        Path boot = PvhKernel.bootFile(kernel, new Cache(dir.resolve("cache")));
        assertThat(Files.readAllBytes(boot)).isEqualTo(elf(PHYS32_ENTRY));
    }

    @Test
    void unpacksZstdPayloadsAndStopsBeforeTheSizeTheKernelAppends() throws IOException {
        Kernel kernel = kernel(bzImage(zstd(elf(PHYS32_ENTRY))));
        Path boot = PvhKernel.bootFile(kernel, new Cache(dir.resolve("cache")));
        assertThat(Files.readAllBytes(boot)).isEqualTo(elf(PHYS32_ENTRY));
    }

    @Test
    void theSameImageUnpackedAgainElsewhereReusesItsUnpackedKernel() throws IOException {
        Cache cache = new Cache(dir.resolve("cache"));
        Path boot = PvhKernel.bootFile(kernel(bzImage(xz(elf(PHYS32_ENTRY)))), cache);
        Path again = Files.write(
                Files.createDirectory(dir.resolve("again")).resolve("vmlinuz"), bzImage(xz(elf(PHYS32_ENTRY))));
        Files.setLastModifiedTime(again, java.nio.file.attribute.FileTime.fromMillis(0));

        assertThat(PvhKernel.bootFile(
                        new Kernel("6.1.0-test", again, null, null, null, "gcc", "another source"), cache))
                .isEqualTo(boot);
    }

    @Test
    void aKernelWithoutPvhEntryBootsCompressedAndIsNotUnpackedAgain() throws IOException {
        Cache cache = new Cache(dir.resolve("cache"));
        Kernel kernel = kernel(bzImage(xz(elf(OTHER_XEN_NOTE))));

        assertThat(PvhKernel.bootFile(kernel, cache)).isEqualTo(kernel.image());

        try (var entries = Files.list(cache.root().resolve(PvhKernel.AREA))) {
            Path entry = entries.findFirst().orElseThrow();
            assertThat(entry.resolve("vmlinux")).doesNotExist();
            assertThat(entry.resolve("not-pvh")).content().contains("has no PVH entry point");
        }
    }

    @Test
    void anythingButABzImageBootsAsItIs() throws IOException {
        Kernel kernel = kernel(elf(PHYS32_ENTRY));
        assertThat(PvhKernel.bootFile(kernel, new Cache(dir.resolve("cache")))).isEqualTo(kernel.image());
        assertThat(PvhKernel.payload(kernel.image())).isEmpty();
    }

    @Test
    void readsTheEntryNoteOfElfFilesOnly() throws IOException {
        assertThat(PvhKernel.hasPvhEntry(Files.write(dir.resolve("pvh"), elf(PHYS32_ENTRY))))
                .isTrue();
        assertThat(PvhKernel.hasPvhEntry(Files.write(dir.resolve("other"), elf(OTHER_XEN_NOTE))))
                .isFalse();
        assertThat(PvhKernel.hasPvhEntry(Files.write(dir.resolve("short"), new byte[] {0x7F, 'E', 'L', 'F'})))
                .isFalse();
    }
}
