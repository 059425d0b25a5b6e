package dev.livepatch.testkit.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DebianArchiveTest {
    @TempDir
    Path etc;

    @Test
    void aDeb822SourcesFileGivesItsDebianArchiveAndKeyringNotTheSecurityArchive() throws IOException {
        Files.createDirectories(etc.resolve("apt/sources.list.d"));
        Files.writeString(etc.resolve("apt/sources.list.d/debian.sources"), """
                Types: deb
                URIs: http://mirror.example/debian-security
                Suites: bookworm-security
                Components: main

                Types: deb
                # a comment
                URIs: http://mirror.example/debian/
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
                """);

        DebianArchive archive = DebianArchive.ofHost(etc);

        assertThat(archive.uri()).isEqualTo("http://mirror.example/debian");
        assertThat(archive.keyring()).isEqualTo(Path.of("/usr/share/keyrings/debian-archive-keyring.gpg"));
        assertThat(archive.securityUri()).hasValue("http://mirror.example/debian-security");
    }

    @Test
    void aOneLineSourcesListWorksToo() throws IOException {
        Files.createDirectories(etc.resolve("apt"));
        Files.writeString(
                etc.resolve("apt/sources.list"),
                "# deb http://old.example/debian buster main\n"
                        + "deb [arch=amd64 signed-by=/etc/apt/keyrings/debian.gpg] https://mirror.example/debian"
                        + " bookworm main\n");

        DebianArchive archive = DebianArchive.ofHost(etc);

        assertThat(archive.uri()).isEqualTo("https://mirror.example/debian");
        assertThat(archive.keyring()).isEqualTo(Path.of("/etc/apt/keyrings/debian.gpg"));
    }

    @Test
    void aHostWithoutADebianArchiveIsRefusedWithWhatToDo() throws IOException {
        Files.createDirectories(etc.resolve("apt"));
        Files.writeString(etc.resolve("apt/sources.list"), "deb http://archive.example/ubuntu noble main\n");

        assertThatThrownBy(() -> DebianArchive.ofHost(etc))
                .isInstanceOf(DebException.class)
                .hasMessageContaining("name no Debian archive")
                .hasMessageContaining("Add Debian's archive to apt's sources");
    }

    @Test
    void theSuiteSourcesPointAtTheSameArchivesAndAStableSuiteTakesItsUpdatesAndSecurity() {
        DebianArchive archive = new DebianArchive(
                "http://mirror.example/debian",
                Path.of("/k.gpg"),
                Optional.of("http://mirror.example/debian-security"));
        SuiteApt sid = new SuiteApt("sid", etc.resolve("sid"), archive);
        SuiteApt trixie = new SuiteApt("trixie", etc.resolve("trixie"), archive);
        SuiteApt backports = new SuiteApt("bookworm-backports", etc.resolve("bookworm-backports"), archive);

        assertThat(sid.sourcesText())
                .isEqualTo("Types: deb\nURIs: http://mirror.example/debian\nSuites: sid\nComponents: main\n"
                        + "Signed-By: /k.gpg\n");
        assertThat(trixie.sourcesText())
                .isEqualTo("Types: deb\nURIs: http://mirror.example/debian\nSuites: trixie trixie-updates\n"
                        + "Components: main\nSigned-By: /k.gpg\n\n"
                        + "Types: deb\nURIs: http://mirror.example/debian-security\nSuites: trixie-security\n"
                        + "Components: main\nSigned-By: /k.gpg\n");
        assertThat(backports.sourcesText())
                .contains("Suites: bookworm-backports\n")
                .doesNotContain("security");
        assertThat(String.join(" ", sid.options()))
                .contains("Dir::Etc::sourcelist=/dev/null")
                .contains("Dir::State::lists=" + etc.resolve("sid/lists"));
    }

    @Test
    void aPartialSuiteComesWithTheSuiteItBuildsOnAndIsTheTargetRelease() {
        DebianArchive archive = new DebianArchive(
                "http://mirror.example/debian",
                Path.of("/k.gpg"),
                Optional.of("http://mirror.example/debian-security"));
        SuiteApt experimental = new SuiteApt("experimental", etc.resolve("experimental"), archive);
        SuiteApt sid = new SuiteApt("sid", etc.resolve("sid"), archive);

        assertThat(experimental.sourcesText())
                .isEqualTo("Types: deb\nURIs: http://mirror.example/debian\nSuites: sid experimental\n"
                        + "Components: main\nSigned-By: /k.gpg\n");
        assertThat(experimental.options())
                .containsSubsequence("-o", "APT::Default-Release=experimental")
                .contains("Dir::State::lists=" + etc.resolve("experimental/lists"));
        assertThat(String.join(" ", sid.options())).doesNotContain("Default-Release");
    }
}
