package dev.livepatch.testkit.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few facts an image needs from a 64-bit ELF file: its {@code DT_NEEDED} libraries, its program interpreter.
 * Read in the byte order the file declares: s390x's programs are big-endian.
 */
final class Elf {
    private static final int PT_INTERP = 3;
    private static final int PT_DYNAMIC = 2;
    private static final int PT_LOAD = 1;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;
    private static final int EI_DATA = 5;
    private static final byte ELFDATA2MSB = 2;

    private final ByteBuffer data;

    private Elf(ByteBuffer data) {
        this.data = data.order(data.get(EI_DATA) == ELFDATA2MSB ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    }

    static boolean isElf(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(5);
            return magic.length == 5
                    && magic[0] == 0x7f
                    && magic[1] == 'E'
                    && magic[2] == 'L'
                    && magic[3] == 'F'
                    && magic[4] == 2;
        } catch (IOException e) {
            return false;
        }
    }

    static Elf of(byte[] bytes) {
        return new Elf(ByteBuffer.wrap(bytes));
    }

    static Elf read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Elf(channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()));
        }
    }

    Optional<String> interpreter() {
        for (long[] header : programHeaders()) {
            if (header[0] == PT_INTERP) {
                return Optional.of(string((int) header[1]));
            }
        }
        return Optional.empty();
    }

    List<String> needed() {
        List<String> result = new ArrayList<>();
        long[] dynamic = programHeaders().stream()
                .filter(h -> h[0] == PT_DYNAMIC)
                .findFirst()
                .orElse(null);
        if (dynamic == null) {
            return result;
        }
        List<Long> neededOffsets = new ArrayList<>();
        long stringTableAddress = -1;
        for (int at = (int) dynamic[1]; at + 16 <= dynamic[1] + dynamic[2]; at += 16) {
            long tag = data.getLong(at);
            long value = data.getLong(at + 8);
            if (tag == 0) {
                break;
            }
            if (tag == DT_NEEDED) {
                neededOffsets.add(value);
            } else if (tag == DT_STRTAB) {
                stringTableAddress = value;
            }
        }
        long stringTable = fileOffset(stringTableAddress);
        for (long offset : neededOffsets) {
            result.add(string((int) (stringTable + offset)));
        }
        return result;
    }

    private List<long[]> programHeaders() {
        long offset = data.getLong(0x20);
        int entrySize = Short.toUnsignedInt(data.getShort(0x36));
        int count = Short.toUnsignedInt(data.getShort(0x38));
        List<long[]> headers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = (int) (offset + (long) i * entrySize);
            headers.add(new long[] {
                Integer.toUnsignedLong(data.getInt(at)),
                data.getLong(at + 8),
                data.getLong(at + 32),
                data.getLong(at + 16)
            });
        }
        return headers;
    }

    private long fileOffset(long address) {
        for (long[] header : programHeaders()) {
            if (header[0] == PT_LOAD && address >= header[3] && address < header[3] + header[2]) {
                return address - header[3] + header[1];
            }
        }
        return address;
    }

    private String string(int offset) {
        int end = offset;
        while (end < data.limit() && data.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - offset];
        data.get(offset, bytes);
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }
}
