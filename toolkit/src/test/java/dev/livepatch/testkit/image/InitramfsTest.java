package dev.livepatch.testkit.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.apache.commons.compress.archivers.cpio.CpioConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsTest {
    @TempDir
    Path temp;

    @Test
    void writesASortedNewcArchiveWithParentsModesLinksAndTrailer() throws IOException {
        Initramfs image = new Initramfs();
        image.file("/etc/dropbear/dropbear_ed25519_host_key", new byte[] {1, 2, 3}, 0600);
        image.directory("/tmp/", 01777);
        image.symlink("/bin/sh", "busybox");
        image.file("bin/busybox", "#!busybox".getBytes(StandardCharsets.UTF_8), 0755);
        image.directory("/", 0755);
        Path archive = temp.resolve("initrd.cpio");

        image.write(archive);

        byte[] bytes = Files.readAllBytes(archive);
        assertThat(new String(bytes, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("070701");
        Map<String, Read> entries = read(archive);
        assertThat(entries.keySet())
                .containsExactly(
                        "bin",
                        "etc",
                        "etc/dropbear",
                        "etc/dropbear/dropbear_ed25519_host_key",
                        "lib",
                        "lib64",
                        "sbin",
                        "tmp",
                        "usr",
                        "usr/bin",
                        "usr/bin/busybox",
                        "usr/bin/sh",
                        "usr/lib",
                        "usr/lib64",
                        "usr/sbin");
        assertThat(entries.get("bin")).isEqualTo(new Read(CpioConstants.C_ISLNK, 0777, "usr/bin"));
        assertThat(entries.get("sbin")).isEqualTo(new Read(CpioConstants.C_ISLNK, 0777, "usr/sbin"));
        assertThat(entries.get("usr/bin").type()).isEqualTo(CpioConstants.C_ISDIR);
        assertThat(entries.get("usr/bin").permissions()).isEqualTo(0755);
        assertThat(entries.get("etc/dropbear").permissions()).isEqualTo(0755);
        assertThat(entries.get("tmp").permissions()).isEqualTo(01777);
        assertThat(entries.get("etc/dropbear/dropbear_ed25519_host_key"))
                .isEqualTo(new Read(CpioConstants.C_ISREG, 0600, "\1\2\3"));
        assertThat(entries.get("usr/bin/busybox")).isEqualTo(new Read(CpioConstants.C_ISREG, 0755, "#!busybox"));
        assertThat(entries.get("usr/bin/sh")).isEqualTo(new Read(CpioConstants.C_ISLNK, 0777, "busybox"));
        assertThat(image.contains("/usr/bin/sh"))
                .as("/bin and /usr/bin are one folder")
                .isTrue();
        String tail = new String(
                bytes, Math.max(0, bytes.length - 512), Math.min(512, bytes.length), StandardCharsets.US_ASCII);
        assertThat(tail).contains("TRAILER!!!");
        assertThat(bytes.length % 4).isZero();
    }

    @Test
    void aLaterEntryForThePathReplacesTheEarlierOne() throws IOException {
        Initramfs image = new Initramfs();
        image.file("/init", "old".getBytes(StandardCharsets.UTF_8), 0644);
        image.file("./init", "new".getBytes(StandardCharsets.UTF_8), 0700);
        Path archive = temp.resolve("initrd.cpio");

        image.write(archive);

        assertThat(read(archive)).containsEntry("init", new Read(CpioConstants.C_ISREG, 0700, "new"));
        assertThat(image.contains("/init")).isTrue();
        assertThat(image.contains("init/")).isTrue();
        assertThat(image.contains("/sbin/init")).isFalse();
    }

    @Test
    void copyKeepsTheKindAndModeOfHostFiles() throws IOException {
        Path host = Files.createDirectories(temp.resolve("host"));
        Path script = Files.writeString(host.resolve("rc"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        Path link = Files.createSymbolicLink(host.resolve("rc.link"), Path.of("rc"));
        Path folder = Files.createDirectories(host.resolve("conf.d"));
        Initramfs image = new Initramfs();
        image.copy("/etc/rc", script);
        image.copy("/etc/rc.local", link);
        image.copy("/etc/conf.d", folder);
        Path archive = temp.resolve("initrd.cpio");

        image.write(archive);

        Map<String, Read> entries = read(archive);
        assertThat(entries.get("etc/rc")).isEqualTo(new Read(CpioConstants.C_ISREG, 0750, "#!/bin/sh\n"));
        assertThat(entries.get("etc/rc.local")).isEqualTo(new Read(CpioConstants.C_ISLNK, 0777, "rc"));
        assertThat(entries.get("etc/conf.d")).isEqualTo(new Read(CpioConstants.C_ISDIR, 0755, ""));
    }

    private record Read(long type, long permissions, String content) {}

    private static Map<String, Read> read(Path archive) throws IOException {
        Map<String, Read> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(archive);
                CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            CpioArchiveEntry entry;
            while ((entry = cpio.getNextEntry()) != null) {
                assertThat(entry.getFormat()).isEqualTo(CpioConstants.FORMAT_NEW);
                byte[] content = cpio.readAllBytes();
                entries.put(
                        entry.getName(),
                        new Read(
                                entry.getMode() & CpioConstants.S_IFMT,
                                entry.getMode() & 07777,
                                new String(content, StandardCharsets.ISO_8859_1)));
            }
        }
        return entries;
    }
}
