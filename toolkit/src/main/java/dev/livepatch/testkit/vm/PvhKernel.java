package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.util.Sha256;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorInputStream;
import org.tukaani.xz.SingleXZInputStream;

/**
 * The file QEMU boots. A compressed {@code bzImage} spends seconds of emulated CPU unpacking itself under TCG
 * (about 3 s for Debian's 6.1 xz kernel, more for the zstd kernels of 6.12 and later); a kernel built with PVH support carries an ELF note with a 32-bit entry
 * point, so QEMU can load the uncompressed {@code vmlinux} directly. It is unpacked on the host once and cached;
 * any other kernel boots as it is.
 */
final class PvhKernel {
    static final String AREA = "pvh-kernels";
    private static final String VMLINUX = "vmlinux";
    private static final String NOT_PVH = "not-pvh";
    private static final int XEN_ELFNOTE_PHYS32_ENTRY = 18;
    private static final int PT_NOTE = 4;
    private static final byte[] XZ = {(byte) 0xFD, '7', 'z', 'X', 'Z', 0};
    private static final byte[] GZIP = {0x1F, (byte) 0x8B};
    private static final byte[] ZSTD = {0x28, (byte) 0xB5, 0x2F, (byte) 0xFD};
    /** The kernel appends the uncompressed size to a zstd payload; the decoder must stop before it. */
    private static final int APPENDED_SIZE = 4;

    private PvhKernel() {}

    /** The uncompressed PVH kernel when {@code kernel} has one inside, otherwise its image unchanged. */
    static Path bootFile(Kernel kernel, Cache cache) {
        Path entry = cache.computeIfAbsent(
                AREA, key(kernel), "uncompressed kernel " + kernel.release(), folder -> unpack(kernel.image(), folder));
        Path vmlinux = entry.resolve(VMLINUX);
        return Files.isRegularFile(vmlinux) ? vmlinux : kernel.image();
    }

    private static void unpack(Path bzImage, Path folder) throws IOException {
        Path vmlinux = folder.resolve(VMLINUX);
        Optional<InputStream> payload = payload(bzImage);
        if (payload.isPresent()) {
            try (InputStream in = payload.get()) {
                Files.copy(in, vmlinux);
            }
            if (hasPvhEntry(vmlinux)) {
                return;
            }
            Files.delete(vmlinux);
        }
        Files.writeString(
                folder.resolve(NOT_PVH),
                bzImage + " has no PVH entry point or no payload this toolkit"
                        + " can unpack (xz, zstd or gzip); it boots compressed.\n");
    }

    /**
     * The decompressed payload of a bzImage (boot protocol 2.08+), if it is one and its compression is known. Both
     * decoders stop at the end of their stream, before the size the kernel appends to it.
     */
    static Optional<InputStream> payload(Path bzImage) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(0x250).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel channel = FileChannel.open(bzImage)) {
            channel.read(header, 0);
            if (header.position() < header.capacity()
                    || header.getInt(0x202) != 0x53726448 // "HdrS"
                    || Short.toUnsignedInt(header.getShort(0x206)) < 0x208) {
                return Optional.empty();
            }
            int setupSectors = Byte.toUnsignedInt(header.get(0x1F1));
            long start = (long) ((setupSectors == 0 ? 4 : setupSectors) + 1) * 512 + header.getInt(0x248);
            long length = Integer.toUnsignedLong(header.getInt(0x24C));
            byte[] magic = new byte[XZ.length];
            channel.read(ByteBuffer.wrap(magic), start);
            InputStream raw = new BufferedInputStream(Files.newInputStream(bzImage), 1 << 16);
            raw.skipNBytes(start);
            if (Arrays.equals(magic, XZ)) {
                return Optional.of(new SingleXZInputStream(raw));
            }
            if (Arrays.equals(Arrays.copyOf(magic, GZIP.length), GZIP)) {
                return Optional.of(new GZIPInputStream(raw, 1 << 16));
            }
            if (Arrays.equals(Arrays.copyOf(magic, ZSTD.length), ZSTD) && length > APPENDED_SIZE) {
                try (raw) {
                    byte[] frame = raw.readNBytes(Math.toIntExact(length - APPENDED_SIZE));
                    return Optional.of(new ZstdCompressorInputStream(new ByteArrayInputStream(frame)));
                }
            }
            raw.close();
            return Optional.empty();
        }
    }

    /** Whether an ELF64 file carries Xen's {@code PHYS32_ENTRY} note, which QEMU uses to boot it as PVH. */
    static boolean hasPvhEntry(Path elf) throws IOException {
        try (FileChannel channel = FileChannel.open(elf, StandardOpenOption.READ)) {
            ByteBuffer header = read(channel, 0, 64);
            if (header.remaining() < 64 || header.getInt(0) != 0x464C457F || header.get(4) != 2 || header.get(5) != 1) {
                return false;
            }
            long programHeaders = header.getLong(0x20);
            int entrySize = Short.toUnsignedInt(header.getShort(0x36));
            int count = Short.toUnsignedInt(header.getShort(0x38));
            for (int i = 0; i < count; i++) {
                ByteBuffer program = read(channel, programHeaders + (long) i * entrySize, 56);
                if (program.remaining() == 56
                        && program.getInt(0) == PT_NOTE
                        && hasXenEntryNote(read(channel, program.getLong(8), (int) program.getLong(32)))) {
                    return true;
                }
            }
            return false;
        }
    }

    private static boolean hasXenEntryNote(ByteBuffer notes) {
        while (notes.remaining() >= 12) {
            int nameSize = notes.getInt();
            int descriptionSize = notes.getInt();
            int type = notes.getInt();
            if (nameSize < 0 || descriptionSize < 0 || align4(nameSize) + align4(descriptionSize) > notes.remaining()) {
                return false;
            }
            byte[] name = new byte[nameSize];
            notes.get(name);
            notes.position(notes.position() - nameSize + align4(nameSize) + align4(descriptionSize));
            if (type == XEN_ELFNOTE_PHYS32_ENTRY && new String(name, StandardCharsets.US_ASCII).equals("Xen\0")) {
                return true;
            }
        }
        return false;
    }

    private static int align4(int size) {
        return (size + 3) & ~3;
    }

    private static ByteBuffer read(FileChannel channel, long position, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        int read = 0;
        while (buffer.hasRemaining() && read >= 0) {
            read = channel.read(buffer, position + buffer.position());
        }
        return buffer.flip();
    }

    /**
     * By the image's content, not its path or time: a cache that moves, or a kernel unpacked again, keeps its
     * unpacked kernel (hashing the image takes milliseconds; unpacking it, seconds).
     */
    private static String key(Kernel kernel) {
        try {
            return kernel.release() + "-" + Sha256.of(kernel.image()).prefix(16);
        } catch (IOException e) {
            throw new GuestException("Cannot read the kernel image " + kernel.image(), e);
        }
    }
}
