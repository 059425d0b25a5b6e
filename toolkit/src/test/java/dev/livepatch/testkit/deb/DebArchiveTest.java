package dev.livepatch.testkit.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.zstandard.ZstdCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

class DebArchiveTest {
    private static final String SCRIPT = "#!/bin/sh\necho hello\n";
    private static final String COPYRIGHT =
            "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n";

    @TempDir
    Path temp;

    @Test
    void extractReproducesContentModesAndLinks() throws IOException {
        Path deb = writeDeb("xz", packageTree());
        Path root = temp.resolve("root");

        DebArchive.extract(deb, root, name -> true);

        Path tool = root.resolve("usr/bin/tool");
        assertThat(tool).hasContent(SCRIPT);
        assertThat(permissions(tool)).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("usr/share/doc/tool/copyright")).hasContent(COPYRIGHT);
        assertThat(permissions(root.resolve("usr/share/doc/tool/copyright"))).isEqualTo("rw-r--r--");
        assertThat(root.resolve("usr/share/doc/tool")).isDirectory();
        assertThat(permissions(root.resolve("usr/share/doc/tool"))).isEqualTo("rwxr-xr-x");
        assertThat(root.resolve("var/empty")).isEmptyDirectory();

        Path symlink = root.resolve("usr/bin/tool-alias");
        assertThat(symlink).isSymbolicLink();
        assertThat(Files.readSymbolicLink(symlink)).isEqualTo(Path.of("tool"));
        assertThat(symlink).hasContent(SCRIPT);
        assertThat(Files.readSymbolicLink(root.resolve("bin/tool"))).isEqualTo(Path.of("/usr/bin/tool"));

        Path hardLink = root.resolve("usr/sbin/tool-admin");
        assertThat(Files.isSymbolicLink(hardLink)).isFalse();
        assertThat(Files.isSameFile(hardLink, tool)).isTrue();
        assertThat(Files.getAttribute(tool, "unix:nlink")).isEqualTo(2);
    }

    @Test
    void includeFilterSeesNamesWithoutLeadingDotSlash() throws IOException {
        Path deb = writeDeb("xz", packageTree());
        Path root = temp.resolve("root");

        DebArchive.extract(deb, root, name -> name.startsWith("usr/share/"));

        assertThat(root.resolve("usr/share/doc/tool/copyright")).hasContent(COPYRIGHT);
        assertThat(root.resolve("usr/bin")).doesNotExist();
        assertThat(root.resolve("usr/sbin")).doesNotExist();
        assertThat(root.resolve("bin")).doesNotExist();
        assertThat(root.resolve("var")).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"xz", "zst", "gz", ""})
    void readsEveryDataCompressionDebianUses(String compression) throws IOException {
        Path deb = writeDeb(compression, packageTree());
        Path root = temp.resolve("root");

        DebArchive.extract(deb, root, name -> true);

        assertThat(root.resolve("usr/bin/tool")).hasContent(SCRIPT);
        assertThat(root.resolve("usr/bin/tool-alias")).isSymbolicLink();
    }

    @Test
    void refusesAnEntryEscapingTheTarget() throws IOException {
        Map<TarArchiveEntry, String> tree = new LinkedHashMap<>();
        tree.put(directory("./"), "");
        tree.put(file("./../evil", 0644), "overwritten\n");
        Path deb = writeDeb("xz", tree);
        Path root = temp.resolve("root");

        assertThatThrownBy(() -> DebArchive.extract(deb, root, name -> true))
                .isInstanceOf(DebException.class)
                .hasMessage("Refusing entry outside the target folder in " + deb + ": ../evil");
        assertThat(temp.resolve("evil")).doesNotExist();
    }

    @Test
    void refusesAnEntryBelowALinkToOutsideTheTarget() throws IOException {
        Path outside = Files.createDirectories(temp.resolve("outside"));
        Map<TarArchiveEntry, String> tree = new LinkedHashMap<>();
        tree.put(directory("./"), "");
        tree.put(link("./etc", TarConstants.LF_SYMLINK, outside.toString()), "");
        tree.put(file("./etc/passwd", 0644), "overwritten\n");
        Path deb = writeDeb("xz", tree);
        Path root = temp.resolve("root");

        assertThatThrownBy(() -> DebArchive.extract(deb, root, name -> true))
                .isInstanceOf(DebException.class)
                .hasMessage("Refusing entry outside the target folder in " + deb + ": etc/passwd");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void refusesAHardLinkToOutsideTheTarget() throws IOException {
        Map<TarArchiveEntry, String> tree = new LinkedHashMap<>();
        tree.put(directory("./"), "");
        tree.put(link("./shadow", TarConstants.LF_LINK, "../../etc/shadow"), "");
        Path deb = writeDeb("xz", tree);

        assertThatThrownBy(() -> DebArchive.extract(deb, temp.resolve("root"), name -> true))
                .isInstanceOf(DebException.class)
                .hasMessage(
                        "Refusing a hard link to outside the target folder in " + deb + ": shadow -> ../../etc/shadow");
    }

    @Test
    void refusesAFileThatIsNotAnArchive() throws IOException {
        Path notDeb = Files.writeString(temp.resolve("notes.deb"), "These are notes, not a package.\n");

        assertThatThrownBy(() -> DebArchive.extract(notDeb, temp.resolve("root"), name -> true))
                .isInstanceOf(DebException.class)
                .hasMessage(notDeb + " is not a Debian package: it is not an ar archive."
                        + " Delete it so that it is downloaded again.");
    }

    @Test
    void refusesAnArArchiveWithoutData() throws IOException {
        Path deb = temp.resolve("nodata.deb");
        writeAr(deb, List.of(member("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII))));

        assertThatThrownBy(() -> DebArchive.extract(deb, temp.resolve("root"), name -> true))
                .isInstanceOf(DebException.class)
                .hasMessage(deb + " is not a Debian package: it has no data.tar member");
    }

    @Test
    void refusesAnUnknownCompressionNamingTheMember() throws IOException {
        Path deb = temp.resolve("bzip2.deb");
        writeAr(
                deb,
                List.of(
                        member("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII)),
                        member("data.tar.bz2", new byte[] {'B', 'Z', 'h'})));

        assertThatThrownBy(() -> DebArchive.extract(deb, temp.resolve("root"), name -> true))
                .isInstanceOf(DebException.class)
                .hasMessage("Unsupported compression data.tar.bz2 in " + deb + " (xz, zstd, gzip and none are read)");
    }

    private static Map<TarArchiveEntry, String> packageTree() {
        Map<TarArchiveEntry, String> tree = new LinkedHashMap<>();
        tree.put(directory("./"), "");
        tree.put(directory("./bin/"), "");
        tree.put(directory("./usr/"), "");
        tree.put(directory("./usr/bin/"), "");
        tree.put(file("./usr/bin/tool", 0755), SCRIPT);
        tree.put(link("./usr/bin/tool-alias", TarConstants.LF_SYMLINK, "tool"), "");
        tree.put(link("./bin/tool", TarConstants.LF_SYMLINK, "/usr/bin/tool"), "");
        tree.put(directory("./usr/sbin/"), "");
        tree.put(link("./usr/sbin/tool-admin", TarConstants.LF_LINK, "./usr/bin/tool"), "");
        tree.put(directory("./usr/share/"), "");
        tree.put(directory("./usr/share/doc/"), "");
        tree.put(directory("./usr/share/doc/tool/"), "");
        tree.put(file("./usr/share/doc/tool/copyright", 0644), COPYRIGHT);
        tree.put(directory("./var/empty/"), "");
        return tree;
    }

    private static TarArchiveEntry directory(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0755);
        return entry;
    }

    private static TarArchiveEntry file(String name, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode);
        return entry;
    }

    private static TarArchiveEntry link(String name, byte kind, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, kind);
        entry.setLinkName(target);
        entry.setMode(0777);
        return entry;
    }

    private Path writeDeb(String compression, Map<TarArchiveEntry, String> data) throws IOException {
        String suffix = compression.isEmpty() ? "" : "." + compression;
        Map<TarArchiveEntry, String> control = new LinkedHashMap<>();
        control.put(directory("./"), "");
        control.put(file("./control", 0644), "Package: tool\nVersion: 1.0-1\nArchitecture: amd64\n");
        Path deb = temp.resolve("tool_1.0-1_amd64" + suffix.replace('.', '-') + ".deb");
        writeAr(
                deb,
                List.of(
                        member("debian-binary", "2.0\n".getBytes(StandardCharsets.US_ASCII)),
                        member("control.tar.xz", tar("xz", control)),
                        member("data.tar" + suffix, tar(compression, data))));
        return deb;
    }

    private static byte[] tar(String compression, Map<TarArchiveEntry, String> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(compressor(compression, bytes))) {
            for (Map.Entry<TarArchiveEntry, String> entry : entries.entrySet()) {
                byte[] content = entry.getValue().getBytes(StandardCharsets.UTF_8);
                entry.getKey().setSize(content.length);
                tar.putArchiveEntry(entry.getKey());
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static OutputStream compressor(String compression, OutputStream out) throws IOException {
        return switch (compression) {
            case "xz" -> new XZOutputStream(out, new LZMA2Options(1));
            case "zst" -> new ZstdCompressorOutputStream(out);
            case "gz" -> new GZIPOutputStream(out);
            case "" -> out;
            default -> throw new IllegalArgumentException(compression);
        };
    }

    private record Member(String name, byte[] content) {}

    private static Member member(String name, byte[] content) {
        return new Member(name, content);
    }

    private static void writeAr(Path file, List<Member> members) throws IOException {
        try (ArArchiveOutputStream ar = new ArArchiveOutputStream(Files.newOutputStream(file))) {
            for (Member member : members) {
                ar.putArchiveEntry(new ArArchiveEntry(member.name(), member.content().length));
                ar.write(member.content());
                ar.closeArchiveEntry();
            }
        }
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS));
    }
}
