package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.module.ModInfo;
import java.io.IOException;
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

    private static Map.Entry<String, String> entry(String key, String value) {
        return Map.entry(key, value);
    }
}
