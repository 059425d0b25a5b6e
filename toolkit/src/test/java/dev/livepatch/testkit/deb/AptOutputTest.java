package dev.livepatch.testkit.deb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AptOutputTest {
    private static final String SHOW = """
            Package: busybox-static
            Source: busybox (1:1.35.0-4+deb12u1)
            Version: 1:1.35.0-4+deb12u1+b1
            Installed-Size: 2024
            Maintainer: Debian Install System Team <debian-boot@lists.debian.org>
            Architecture: amd64
            Replaces: busybox
            Provides: busybox
            Conflicts: busybox
            Description: Standalone rescue shell with tons of builtin utilities
            Description-md5: 1ccce12e08e4aa13a2e6bdd5ffb85b65
            Homepage: http://www.busybox.net
            Built-Using: glibc (= 2.36-9+deb12u14)
            Tag: admin::recovery, interface::shell, role::program, scope::utility,
             use::login, works-with::file
            Section: shells
            Priority: optional
            Filename: pool/main/b/busybox/busybox-static_1.35.0-4+deb12u1+b1_amd64.deb
            Size: 928188
            SHA256: 3d3fdbe91d4660c873e14b092c213fe81c1da6362daa236eb25d0171eb108744

            Package: tzdata
            Version: 2026f-0+deb12u1
            Installed-Size: 2434
            Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
            Architecture: all
            Replaces: libc0.1, libc0.3, libc6, libc6.1
            Provides: tzdata-bookworm
            Depends: debconf (>= 0.5) | debconf-2.0
            Description: time zone and daylight-saving time data
             This package contains data required for the implementation of
             Version: not a field, a continuation line
            Multi-Arch: foreign
            Section: localization
            Priority: required
            Filename: pool/main/t/tzdata/tzdata_2026f-0+deb12u1_all.deb
            Size: 253596

            Package: dropbear-bin
            Source: dropbear
            Version: 2022.83-1+deb12u3
            Architecture: amd64
            Depends: libc6 (>= 2.34), libcrypt1 (>= 1:4.1.0), zlib1g (>= 1:1.1.4)
            Filename: pool/main/d/dropbear/dropbear-bin_2022.83-1+deb12u3_amd64.deb

            Package: dropbear-bin
            Version: 2020.81-3+deb11u1
            Architecture: amd64
            Filename: pool/main/d/dropbear/dropbear-bin_2020.81-3+deb11u1_amd64.deb

            """;

    private static final String DEPENDS_RECURSIVE = """
            tzdata
             |Depends: debconf
              Depends: <debconf-2.0>
                cdebconf
                debconf
            debconf
            cdebconf
              Depends: libc6
              Depends: libdebian-installer4
              PreDepends: <awk>
                gawk
                mawk
            libc6
              Depends: libgcc-s1
            libdebian-installer4
              Depends: libc6
            libgcc-s1
              Depends: gcc-12-base
              Depends: libc6
            gcc-12-base
            <debconf-2.0>
              cdebconf
              debconf
            <awk>
              gawk
              mawk
            """;

    @Test
    void showGivesVersionAndTheFileNameAptGetDownloadWrites() {
        Map<String, Apt.Candidate> candidates = AptOutput.parseShow(SHOW);

        assertThat(candidates).containsOnlyKeys("busybox-static", "tzdata", "dropbear-bin");
        assertThat(candidates.get("busybox-static"))
                .isEqualTo(new Apt.Candidate(
                        "busybox-static", "1:1.35.0-4+deb12u1+b1", "busybox-static_1%3a1.35.0-4+deb12u1+b1_amd64.deb"));
        assertThat(candidates.get("tzdata"))
                .isEqualTo(new Apt.Candidate("tzdata", "2026f-0+deb12u1", "tzdata_2026f-0+deb12u1_all.deb"));
    }

    @Test
    void showKeepsTheFirstStanzaOfAPackage() {
        assertThat(AptOutput.parseShow(SHOW).get("dropbear-bin").version()).isEqualTo("2022.83-1+deb12u3");
    }

    @Test
    void showIgnoresStanzasWithoutTheNeededFieldsAndEmptyOutput() {
        assertThat(AptOutput.parseShow("Package: half\nVersion: 1.0\n\n")).isEmpty();
        assertThat(AptOutput.parseShow("")).isEmpty();
    }

    @Test
    void recursiveDependsListsRealPackagesOnceInOrderWithoutVirtualOnes() {
        assertThat(AptOutput.parseDependsRecursive(DEPENDS_RECURSIVE))
                .containsExactly(
                        "tzdata", "debconf", "cdebconf", "libc6", "libdebian-installer4", "libgcc-s1", "gcc-12-base");
    }

    @Test
    void directDependsGivesOnlyDependsLinesIncludingAlternativesButNoVirtualPackages() {
        String kernelMeta = """
                linux-image-amd64
                  Depends: linux-image-6.1.0-56-amd64
                """;
        assertThat(AptOutput.parseDirectDepends(kernelMeta)).containsExactly("linux-image-6.1.0-56-amd64");

        assertThat(AptOutput.parseDirectDepends(
                        DEPENDS_RECURSIVE.lines().limit(5).reduce("", (a, b) -> a + b + "\n")))
                .containsExactly("debconf");
        assertThat(AptOutput.parseDirectDepends("""
                        bash
                          PreDepends: libc6
                          Depends: base-files
                          Recommends: bash-completion
                        """)).containsExactly("base-files");
    }
}
