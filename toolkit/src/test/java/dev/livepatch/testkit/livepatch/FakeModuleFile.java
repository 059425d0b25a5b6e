package dev.livepatch.testkit.livepatch;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bytes of a fake {@code .ko}: a relocatable x86_64 ELF file whose only content is a {@code .modinfo} section,
 * followed by a {@code #fake-module} line and the shell script the fake {@code insmod} runs.
 */
final class FakeModuleFile {
    static final String SCRIPT_START = "#fake-module";

    private static final int HEADER_SIZE = 64;
    private static final int SECTION_HEADER_SIZE = 64;
    private static final byte[] SECTION_NAMES = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);

    private FakeModuleFile() {}

    static byte[] of(Map<String, String> modinfo, String script) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        modinfo.forEach(
                (key, value) -> entries.writeBytes((key + "=" + value + "\0").getBytes(StandardCharsets.UTF_8)));
        byte[] section = entries.toByteArray();
        int namesOffset = HEADER_SIZE + section.length;
        int headersOffset = align(namesOffset + SECTION_NAMES.length);
        ByteBuffer elf =
                ByteBuffer.allocate(headersOffset + 3 * SECTION_HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        elf.putShort((short) 1)
                .putShort((short) 62)
                .putInt(1)
                .putLong(0)
                .putLong(0)
                .putLong(headersOffset);
        elf.putInt(0).putShort((short) HEADER_SIZE).putShort((short) 0).putShort((short) 0);
        elf.putShort((short) SECTION_HEADER_SIZE).putShort((short) 3).putShort((short) 2);
        elf.put(section).put(SECTION_NAMES).position(headersOffset + SECTION_HEADER_SIZE);
        sectionHeader(elf, 1, 1, 2, HEADER_SIZE, section.length);
        sectionHeader(elf, 10, 3, 0, namesOffset, SECTION_NAMES.length);
        ByteArrayOutputStream file = new ByteArrayOutputStream();
        file.writeBytes(elf.array());
        file.writeBytes(("\n" + SCRIPT_START + "\n" + script + "\n").getBytes(StandardCharsets.UTF_8));
        return file.toByteArray();
    }

    private static void sectionHeader(ByteBuffer elf, int name, int type, long flags, long offset, long size) {
        elf.putInt(name).putInt(type).putLong(flags).putLong(0).putLong(offset).putLong(size);
        elf.putInt(0).putInt(0).putLong(1).putLong(0);
    }

    private static int align(int offset) {
        return (offset + 7) & ~7;
    }
}
