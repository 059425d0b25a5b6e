package dev.livepatch.testkit.module;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * A module file as the guest needs it: without its DWARF. Kbuild modules carry debug sections worth several times
 * their code; the kernel never loads them (they are not {@code SHF_ALLOC}), but every copy to a guest pays for them.
 * Their contents are dropped and their headers kept with size 0, so section and symbol numbers do not change and
 * every relocation still points where it did. The file is read in the byte order it declares (s390x's modules are
 * big-endian). Anything else is returned unchanged: a file that is not a 64-bit relocatable ELF, or a signed module
 * (its signature covers the bytes as they are).
 */
@API(status = INTERNAL, since = "0.1")
public final class LoadableModule {
    private static final byte[] ELF_MAGIC = {0x7f, 'E', 'L', 'F'};
    private static final byte[] SIGNATURE_MARKER = "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII);
    private static final int ELF_HEADER_SIZE = 64;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final int ET_REL = 1;
    private static final byte ELFDATA2LSB = 1;
    private static final byte ELFDATA2MSB = 2;
    private static final int SHT_NOBITS = 8;
    private static final long SHF_ALLOC = 0x2;
    private static final long MAX_ALIGNMENT = 1 << 16;

    private LoadableModule() {}

    /** The module's bytes without the contents of its debug sections. */
    public static byte[] withoutDebugInfo(byte[] module) {
        if (!isPlainRelocatableElf64(module)) {
            return module;
        }
        ByteOrder order = byteOrder(module);
        ByteBuffer in = ByteBuffer.wrap(module).order(order);
        long headersAt = in.getLong(0x28);
        int count = Short.toUnsignedInt(in.getShort(0x3C));
        int namesIndex = Short.toUnsignedInt(in.getShort(0x3E));
        if (count == 0
                || namesIndex >= count
                || headersAt < ELF_HEADER_SIZE
                || headersAt + (long) count * SECTION_HEADER_SIZE > module.length) {
            return module;
        }
        ByteBuffer headers = ByteBuffer.wrap(
                        Arrays.copyOfRange(module, (int) headersAt, (int) headersAt + count * SECTION_HEADER_SIZE))
                .order(order);
        long namesOffset = headers.getLong(namesIndex * SECTION_HEADER_SIZE + 0x18);
        if (namesOffset < 0 || namesOffset >= module.length) {
            return module;
        }
        boolean[] drop = new boolean[count];
        boolean any = false;
        for (int i = 1; i < count; i++) {
            int at = i * SECTION_HEADER_SIZE;
            long offset = headers.getLong(at + 0x18);
            long size = headers.getInt(at + 0x04) == SHT_NOBITS ? 0 : headers.getLong(at + 0x20);
            long alignment = headers.getLong(at + 0x30);
            if (offset < 0 || size < 0 || offset + size > module.length || alignment < 0 || alignment > MAX_ALIGNMENT) {
                return module;
            }
            String name = cString(module, namesOffset + Integer.toUnsignedLong(headers.getInt(at)));
            boolean debug =
                    name.startsWith(".debug_") || name.startsWith(".rela.debug_") || name.startsWith(".rel.debug_");
            drop[i] = debug && (headers.getLong(at + 0x08) & SHF_ALLOC) == 0;
            any |= drop[i];
        }
        if (!any) {
            return module;
        }
        Integer[] byOffset = new Integer[count - 1];
        for (int i = 1; i < count; i++) {
            byOffset[i - 1] = i;
        }
        Arrays.sort(
                byOffset,
                (a, b) -> Long.compare(
                        headers.getLong(a * SECTION_HEADER_SIZE + 0x18),
                        headers.getLong(b * SECTION_HEADER_SIZE + 0x18)));
        ByteArrayOutputStream out = new ByteArrayOutputStream(module.length / 4);
        out.write(module, 0, ELF_HEADER_SIZE);
        for (int i : byOffset) {
            int at = i * SECTION_HEADER_SIZE;
            if (drop[i]) {
                headers.putLong(at + 0x18, 0);
                headers.putLong(at + 0x20, 0);
                continue;
            }
            pad(out, Math.max(1, headers.getLong(at + 0x30)));
            long offset = headers.getLong(at + 0x18);
            headers.putLong(at + 0x18, out.size());
            if (headers.getInt(at + 0x04) != SHT_NOBITS) {
                out.write(module, (int) offset, (int) headers.getLong(at + 0x20));
            }
        }
        pad(out, 8);
        long newHeadersAt = out.size();
        out.write(headers.array(), 0, headers.capacity());
        byte[] result = out.toByteArray();
        ByteBuffer.wrap(result).order(order).putLong(0x28, newHeadersAt);
        return result;
    }

    private static boolean isPlainRelocatableElf64(byte[] module) {
        return module.length > ELF_HEADER_SIZE
                && Arrays.equals(module, 0, 4, ELF_MAGIC, 0, 4)
                && module[4] == 2 // ELFCLASS64
                && (module[5] == ELFDATA2LSB || module[5] == ELFDATA2MSB)
                && ByteBuffer.wrap(module).order(byteOrder(module)).getShort(0x10) == ET_REL
                && ByteBuffer.wrap(module).order(byteOrder(module)).getShort(0x3A) == SECTION_HEADER_SIZE
                && !endsWith(module, SIGNATURE_MARKER);
    }

    /** The byte order byte 5 of the identification declares. */
    private static ByteOrder byteOrder(byte[] module) {
        return module[5] == ELFDATA2MSB ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static boolean endsWith(byte[] data, byte[] suffix) {
        return data.length >= suffix.length
                && Arrays.equals(data, data.length - suffix.length, data.length, suffix, 0, suffix.length);
    }

    private static String cString(byte[] data, long from) {
        if (from >= data.length) {
            return "";
        }
        int at = (int) from;
        int end = at;
        while (end < data.length && data[end] != 0) {
            end++;
        }
        return new String(data, at, end - at, StandardCharsets.US_ASCII);
    }

    private static void pad(ByteArrayOutputStream out, long alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
    }
}
