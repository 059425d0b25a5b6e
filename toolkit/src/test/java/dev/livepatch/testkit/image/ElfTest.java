package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.module.ModInfo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ElfTest {
    private static final Path LS = Path.of("/bin/ls");

    @TempDir
    Path temp;

    @Test
    void readsInterpreterAndNeededLibrariesOfAHostProgram() throws IOException {
        Elf ls = Elf.read(LS);

        assertThat(ls.interpreter()).contains("/lib64/ld-linux-x86-64.so.2");
        assertThat(ls.needed()).contains("libc.so.6").doesNotHaveDuplicates().allMatch(name -> name.contains(".so"));
    }

    @Test
    void readsABigEndianProgramOfS390xInTheByteOrderItDeclares() {
        Elf busybox = Elf.of(executable(ByteOrder.BIG_ENDIAN, "/lib/ld64.so.1", "libresolv.so.2", "libc.so.6"));
        Elf same = Elf.of(executable(ByteOrder.LITTLE_ENDIAN, "/lib/ld64.so.1", "libresolv.so.2", "libc.so.6"));

        assertThat(busybox.interpreter()).contains("/lib/ld64.so.1");
        assertThat(busybox.needed()).containsExactly("libresolv.so.2", "libc.so.6");
        assertThat(same.interpreter()).isEqualTo(busybox.interpreter());
        assertThat(same.needed()).isEqualTo(busybox.needed());
    }

    @Test
    void aSharedLibraryHasNeededEntriesButNoInterpreter() throws IOException {
        Path libm = Path.of("/lib/x86_64-linux-gnu/libm.so.6").toRealPath();

        Elf library = Elf.read(libm);

        assertThat(library.interpreter()).isEmpty();
        assertThat(library.needed()).contains("libc.so.6");
    }

    @Test
    void readsModinfoStringsKeepingTheFirstOfARepeatedKey() throws IOException {
        Path object = ModinfoObjects.compile(
                temp.resolve("virtio_net.ko"),
                "license=GPL",
                "depends=virtio,virtio_ring",
                "",
                "vermagic=6.1.0-56-amd64 SMP preempt mod_unload modversions ",
                "alias=virtio:d00000001v*\0alias=virtio:d00000002v*",
                "license=Dual MIT/GPL",
                "no equals sign");

        Elf module = Elf.read(object);
        ModInfo modInfo = ModInfo.read(object);

        assertThat(modInfo.all("license")).containsExactly("GPL", "Dual MIT/GPL");
        assertThat(modInfo.depends()).containsExactly("virtio", "virtio_ring");
        assertThat(modInfo.vermagic()).hasValue("6.1.0-56-amd64 SMP preempt mod_unload modversions ");
        assertThat(modInfo.all("alias")).containsExactly("virtio:d00000001v*", "virtio:d00000002v*");
        assertThat(module.interpreter()).isEmpty();
        assertThat(module.needed()).isEmpty();
    }

    @Test
    void recognisesElfFilesOnly() throws IOException {
        Path text = Files.writeString(temp.resolve("script.sh"), "#!/bin/sh\necho not elf\n");
        Path tooShort = Files.write(temp.resolve("short"), new byte[] {0x7f, 'E', 'L'});

        assertThat(Elf.isElf(LS)).isTrue();
        assertThat(Elf.isElf(text)).isFalse();
        assertThat(Elf.isElf(tooShort)).isFalse();
        assertThat(Elf.isElf(temp)).isFalse();
        assertThat(Elf.isElf(temp.resolve("missing"))).isFalse();
    }

    /**
     * A 64-bit executable in {@code order}: one loaded segment holding everything, its interpreter and its dynamic
     * section, whose string table is named by its address.
     */
    /** A 64-bit executable with only a program interpreter and the libraries it needs; also used by other tests. */
    static byte[] executable(ByteOrder order, String interpreter, String... needed) {
        long base = 0x1000000;
        int headers = 64;
        int interpAt = headers + 3 * 56;
        byte[] interp = (interpreter + "\0").getBytes(StandardCharsets.US_ASCII);
        int stringsAt = interpAt + interp.length;
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        strings.write(0);
        long[] names = new long[needed.length];
        for (int i = 0; i < needed.length; i++) {
            names[i] = strings.size();
            strings.writeBytes((needed[i] + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        int dynamicAt = (stringsAt + strings.size() + 7) & ~7;
        int dynamicSize = (needed.length + 2) * 16;
        ByteBuffer file = ByteBuffer.allocate(dynamicAt + dynamicSize).order(order);
        file.put(0, new byte[] {0x7f, 'E', 'L', 'F', 2, (byte) (order == ByteOrder.BIG_ENDIAN ? 2 : 1), 1});
        file.putShort(0x10, (short) 2);
        file.putLong(0x20, headers);
        file.putShort(0x36, (short) 56);
        file.putShort(0x38, (short) 3);
        programHeader(file, headers, 1, 0, base, file.capacity());
        programHeader(file, headers + 56, 3, interpAt, base + interpAt, interp.length);
        programHeader(file, headers + 112, 2, dynamicAt, base + dynamicAt, dynamicSize);
        file.put(interpAt, interp);
        file.put(stringsAt, strings.toByteArray());
        int at = dynamicAt;
        for (long name : names) {
            file.putLong(at, 1).putLong(at + 8, name);
            at += 16;
        }
        file.putLong(at, 5).putLong(at + 8, base + stringsAt);
        return file.array();
    }

    private static void programHeader(ByteBuffer file, int at, int type, long offset, long address, long size) {
        file.putInt(at, type).putLong(at + 8, offset).putLong(at + 16, address).putLong(at + 32, size);
        file.putLong(at + 40, size);
    }

    private static Map.Entry<String, String> entry(String key, String value) {
        return Map.entry(key, value);
    }
}
