package dev.livepatch.testkit.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadableModuleTest {
    private static final int SHT_PROGBITS = 1;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_RELA = 4;
    private static final int SHT_NOBITS = 8;
    private static final long SHF_ALLOC = 2;

    record Section(String name, int type, long flags, byte[] data, long alignment, int info) {}

    @Test
    void debugSectionsLoseTheirContentButKeepTheirPlaceAndEverythingElseIsKept() {
        byte[] text = bytes("\u00c3 the code", 40);
        byte[] modinfo = "vermagic=6.1.0-56-amd64 SMP\0livepatch=Y\0".getBytes(StandardCharsets.US_ASCII);
        byte[] module = elf(List.of(
                new Section(".text", SHT_PROGBITS, SHF_ALLOC | 4, text, 16, 0),
                new Section(".debug_info", SHT_PROGBITS, 0, bytes("dwarf", 5000), 1, 0),
                new Section(".rela.debug_info", SHT_RELA, 0, bytes("r", 240), 8, 2),
                new Section(".modinfo", SHT_PROGBITS, SHF_ALLOC, modinfo, 1, 0),
                new Section(".bss", SHT_NOBITS, SHF_ALLOC | 1, new byte[64], 32, 0),
                new Section(".debug_str", SHT_PROGBITS, 0x30, bytes("names", 3000), 1, 0)));

        byte[] loadable = LoadableModule.withoutDebugInfo(module);

        assertThat(loadable.length).isLessThan(module.length - 8000);
        assertThat(sectionData(loadable, ".text")).isEqualTo(text);
        assertThat(sectionData(loadable, ".modinfo")).isEqualTo(modinfo);
        assertThat(sectionData(loadable, ".debug_info")).isEmpty();
        assertThat(sectionData(loadable, ".rela.debug_info")).isEmpty();
        assertThat(sectionData(loadable, ".debug_str")).isEmpty();
        assertThat(header(loadable, ".bss").getLong(0x20)).isEqualTo(64);
        assertThat(header(loadable, ".bss").getLong(0x18) % 32).isZero();
        assertThat(header(loadable, ".text").getLong(0x18) % 16).isZero();
        assertThat(header(loadable, ".rela.debug_info").getInt(0x2C)).isEqualTo(2);
        assertThat(sectionNames(loadable)).isEqualTo(sectionNames(module));
        assertThat(ModInfo.parse(sectionData(loadable, ".modinfo")).livepatch()).isTrue();
    }

    @Test
    void aModuleWithoutDebugInfoASignedModuleAndANonElfFileAreLeftAsTheyAre() {
        byte[] plain = elf(List.of(new Section(".text", SHT_PROGBITS, SHF_ALLOC, bytes("x", 10), 1, 0)));
        byte[] withDebug = elf(List.of(new Section(".debug_info", SHT_PROGBITS, 0, bytes("d", 100), 1, 0)));
        byte[] signed = concat(withDebug, "~Module signature appended~\n".getBytes(StandardCharsets.US_ASCII));
        byte[] text =
                "not an elf file at all, just some words that are long enough".getBytes(StandardCharsets.US_ASCII);

        assertThat(LoadableModule.withoutDebugInfo(plain)).isSameAs(plain);
        assertThat(LoadableModule.withoutDebugInfo(signed)).isSameAs(signed);
        assertThat(LoadableModule.withoutDebugInfo(text)).isSameAs(text);
        assertThat(LoadableModule.withoutDebugInfo(withDebug)).hasSizeLessThan(withDebug.length);
    }

    @Test
    void aSectionPointingOutsideTheFileLeavesTheFileAsItIs() {
        byte[] module = elf(List.of(new Section(".debug_info", SHT_PROGBITS, 0, bytes("d", 100), 1, 0)));
        ByteBuffer header = header(module, ".debug_info");
        int at = header.arrayOffset();
        ByteBuffer.wrap(module).order(ByteOrder.LITTLE_ENDIAN).putLong(at + 0x20, 1L << 40);

        assertThat(LoadableModule.withoutDebugInfo(module)).isSameAs(module);
    }

    @Test
    void aBigEndianModuleOfS390xLosesItsDebugSectionsTooAndItsModinfoReads() {
        byte[] text = bytes("\u00a7 the code", 40);
        byte[] modinfo =
                "vermagic=7.2.13 SMP mod_unload modversions \0livepatch=Y\0".getBytes(StandardCharsets.US_ASCII);
        byte[] module = elf(
                List.of(
                        new Section(".text", SHT_PROGBITS, SHF_ALLOC | 4, text, 8, 0),
                        new Section(".debug_info", SHT_PROGBITS, 0, bytes("dwarf", 5000), 1, 0),
                        new Section(".modinfo", SHT_PROGBITS, SHF_ALLOC, modinfo, 1, 0)),
                ByteOrder.BIG_ENDIAN);

        byte[] loadable = LoadableModule.withoutDebugInfo(module);

        assertThat(loadable.length).isLessThan(module.length - 4000);
        assertThat(sectionData(loadable, ".text")).isEqualTo(text);
        assertThat(sectionData(loadable, ".debug_info")).isEmpty();
        assertThat(sectionNames(loadable)).isEqualTo(sectionNames(module));
        assertThat(ModInfo.of(loadable, "lpt_cmdline.ko").livepatch()).isTrue();
        assertThat(ModInfo.of(module, "lpt_cmdline.ko").vermagic()).hasValue("7.2.13 SMP mod_unload modversions ");
    }

    private static byte[] elf(List<Section> sections) {
        return elf(sections, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * An ELF64 relocatable file in {@code order}: header, the sections' data in order, a name table, then the section
     * headers.
     */
    private static byte[] elf(List<Section> sections, ByteOrder order) {
        List<Section> all = new ArrayList<>(sections);
        ByteArrayOutputStream names = new ByteArrayOutputStream();
        names.write(0);
        List<Integer> nameOffsets = new ArrayList<>();
        for (Section section : all) {
            nameOffsets.add(names.size());
            names.writeBytes((section.name() + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        nameOffsets.add(names.size());
        names.writeBytes(".shstrtab\0".getBytes(StandardCharsets.US_ASCII));
        all.add(new Section(".shstrtab", SHT_STRTAB, 0, names.toByteArray(), 1, 0));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[64]);
        long[] offsets = new long[all.size()];
        for (int i = 0; i < all.size(); i++) {
            Section section = all.get(i);
            while (out.size() % section.alignment() != 0) {
                out.write(0);
            }
            offsets[i] = out.size();
            if (section.type() != SHT_NOBITS) {
                out.writeBytes(section.data());
            }
        }
        while (out.size() % 8 != 0) {
            out.write(0);
        }
        long headersAt = out.size();
        ByteBuffer headers = ByteBuffer.allocate(64 * (all.size() + 1)).order(order);
        for (int i = 0; i < all.size(); i++) {
            Section section = all.get(i);
            int at = (i + 1) * 64;
            headers.putInt(at, nameOffsets.get(i));
            headers.putInt(at + 0x04, section.type());
            headers.putLong(at + 0x08, section.flags());
            headers.putLong(at + 0x18, offsets[i]);
            headers.putLong(at + 0x20, section.data().length);
            headers.putInt(at + 0x2C, section.info());
            headers.putLong(at + 0x30, section.alignment());
        }
        out.writeBytes(headers.array());
        byte[] file = out.toByteArray();
        ByteBuffer elf = ByteBuffer.wrap(file).order(order);
        byte data = (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1);
        elf.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, data, 1});
        elf.putShort(0x10, (short) 1);
        elf.putShort(0x12, (short) (order == ByteOrder.BIG_ENDIAN ? 22 : 62));
        elf.putLong(0x28, headersAt);
        elf.putShort(0x34, (short) 64);
        elf.putShort(0x3A, (short) 64);
        elf.putShort(0x3C, (short) (all.size() + 1));
        elf.putShort(0x3E, (short) all.size());
        return file;
    }

    private static ByteBuffer header(byte[] elf, String name) {
        ByteBuffer file = ByteBuffer.wrap(elf).order(order(elf));
        int count = file.getShort(0x3C);
        int headersAt = (int) file.getLong(0x28);
        long namesAt = file.getLong(headersAt + file.getShort(0x3E) * 64 + 0x18);
        for (int i = 1; i < count; i++) {
            int at = headersAt + i * 64;
            if (cString(elf, (int) namesAt + file.getInt(at)).equals(name)) {
                return ByteBuffer.wrap(elf, at, 64).slice().order(order(elf));
            }
        }
        throw new AssertionError("no section " + name);
    }

    private static byte[] sectionData(byte[] elf, String name) {
        ByteBuffer header = header(elf, name);
        int offset = (int) header.getLong(0x18);
        return Arrays.copyOfRange(elf, offset, offset + (int) header.getLong(0x20));
    }

    private static List<String> sectionNames(byte[] elf) {
        ByteBuffer file = ByteBuffer.wrap(elf).order(order(elf));
        int headersAt = (int) file.getLong(0x28);
        long namesAt = file.getLong(headersAt + file.getShort(0x3E) * 64 + 0x18);
        List<String> names = new ArrayList<>();
        for (int i = 1; i < file.getShort(0x3C); i++) {
            names.add(cString(elf, (int) namesAt + file.getInt(headersAt + i * 64)));
        }
        return names;
    }

    private static ByteOrder order(byte[] elf) {
        return elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    private static String cString(byte[] data, int at) {
        int end = at;
        while (data[end] != 0) {
            end++;
        }
        return new String(data, at, end - at, StandardCharsets.US_ASCII);
    }

    private static byte[] bytes(String pattern, int length) {
        byte[] result = new byte[length];
        byte[] source = pattern.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < length; i++) {
            result[i] = source[i % source.length];
        }
        return result;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }
}
