package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.deb.DebPackage;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryResolverTest {
    private static final String LOADER = "ld-linux-loongarch-lp64d.so.1";

    @TempDir
    Path temp;

    @Test
    void findsTheProgramInterpreterBelowUsrInAMergedUsrPackage() throws IOException {
        // sid's libc6 for loong64: the loader in the triplet's folder, /usr/lib64 linking to it, nothing in /lib64.
        Path libc6 = temp.resolve("libc6");
        Path triplet = Files.createDirectories(libc6.resolve("usr/lib/loongarch64-linux-gnu"));
        Files.write(triplet.resolve(LOADER), ElfTest.executable(ByteOrder.LITTLE_ENDIAN, "/lib64/" + LOADER));
        Files.write(triplet.resolve("libc.so.6"), ElfTest.executable(ByteOrder.LITTLE_ENDIAN, "/lib64/" + LOADER));
        Files.createDirectories(libc6.resolve("usr/lib64"));
        Files.createSymbolicLink(
                libc6.resolve("usr/lib64/" + LOADER), Path.of("../lib/loongarch64-linux-gnu/" + LOADER));
        Path dropbear = Files.write(
                temp.resolve("dropbear"), ElfTest.executable(ByteOrder.LITTLE_ENDIAN, "/lib64/" + LOADER, "libc.so.6"));
        Initramfs image = new Initramfs();

        new LibraryResolver(
                        List.of(new PackageFiles(new DebPackage("libc6", "2.42-1", temp.resolve("libc6.deb")), libc6)),
                        Arch.LOONGARCH64)
                .addNeeded(image, Map.of("usr/sbin/dropbear", dropbear));

        assertThat(image.contains("usr/lib64/" + LOADER)).isTrue();
        assertThat(image.contains("usr/lib/loongarch64-linux-gnu/" + LOADER)).isTrue();
        assertThat(image.contains("usr/lib/loongarch64-linux-gnu/libc.so.6")).isTrue();
    }
}
