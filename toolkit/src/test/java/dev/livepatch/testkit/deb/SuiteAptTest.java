package dev.livepatch.testkit.deb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A suite's apt against package lists written here, as {@code apt-get update} would have left them: only
 * {@code apt-cache} runs, offline.
 */
class SuiteAptTest {
    private static final String URI = "http://mirror.example/debian";
    private static final DebianArchive ARCHIVE = new DebianArchive(URI, Path.of("/k.gpg"), Optional.empty());
    private static final String SID = """
            Package: linux-image-amd64
            Version: 7.2.13-1
            Architecture: amd64
            Depends: linux-image-7.2.13+deb14-amd64 (= 7.2.13-1)
            Filename: pool/main/l/linux/linux-image-amd64_7.2.13-1_amd64.deb

            Package: linux-image-7.2.13+deb14-amd64
            Version: 7.2.13-1
            Architecture: amd64
            Filename: pool/main/l/linux/linux-image-7.2.13+deb14-amd64_7.2.13-1_amd64.deb

            Package: gcc-16
            Version: 16.2.0-4
            Architecture: amd64
            Filename: pool/main/g/gcc-16/gcc-16_16.2.0-4_amd64.deb
            """;
    private static final String EXPERIMENTAL = """
            Package: linux-image-amd64
            Version: 7.3~rc7-1~exp1
            Architecture: amd64
            Depends: linux-base-amd64 (= 7.3~rc7-1~exp1), linux-image-7.3-amd64 (= 7.3~rc7-1~exp1)
            Filename: pool/main/l/linux/linux-image-amd64_7.3~rc7-1~exp1_amd64.deb

            Package: linux-base-amd64
            Version: 7.3~rc7-1~exp1
            Architecture: amd64
            Filename: pool/main/l/linux/linux-base-amd64_7.3~rc7-1~exp1_amd64.deb

            Package: linux-image-7.3-amd64
            Version: 7.3~rc7-1~exp1
            Architecture: amd64
            Filename: pool/main/l/linux/linux-image-7.3-amd64_7.3~rc7-1~exp1_amd64.deb
            """;

    @TempDir
    Path root;

    @BeforeEach
    void needsApt() {
        HostPrograms programs = HostPrograms.declared();
        assumeTrue(programs.find("apt-cache").flatMap(programs::locate).isPresent(), "apt-cache is not installed");
    }

    @Test
    void experimentalTakesTheKernelFromExperimentalAndWhatItLacksFromSid() throws IOException {
        Apt apt = fetched(new SuiteApt("experimental", root.resolve("apt/experimental"), ARCHIVE));

        assertThat(apt.dependencyOf("linux-image-amd64", "linux-image-")).isEqualTo("linux-image-7.3-amd64");
        assertThat(apt.candidates(List.of("linux-image-amd64", "gcc-16")))
                .hasEntrySatisfying(
                        "linux-image-amd64", c -> assertThat(c.version()).isEqualTo("7.3~rc7-1~exp1"))
                .hasEntrySatisfying("gcc-16", c -> assertThat(c.version()).isEqualTo("16.2.0-4"));
    }

    @Test
    void theSameListsWithoutTheTargetReleaseGiveSidsKernel() throws IOException {
        SuiteApt experimental = new SuiteApt("experimental", root.resolve("apt/experimental"), ARCHIVE);
        fetched(experimental);
        List<String> withoutTarget = new ArrayList<>(experimental.options());
        int target = withoutTarget.indexOf("APT::Default-Release=experimental");
        withoutTarget.subList(target - 1, target + 1).clear();
        Apt apt = Apt.inCache(new Cache(root.resolve("cache")), Progress.silent(), withoutTarget);

        assertThat(apt.dependencyOf("linux-image-amd64", "linux-image-")).isEqualTo("linux-image-7.2.13+deb14-amd64");
    }

    /** The suite's configuration and lists as a fresh update leaves them, so that no update runs. */
    private Apt fetched(SuiteApt suite) throws IOException {
        Path state = root.resolve("apt").resolve(suite.suite());
        Path lists = Files.createDirectories(state.resolve("lists"));
        Files.createDirectories(state.resolve("sources.list.d"));
        Files.writeString(state.resolve("sources.list.d/debian.sources"), suite.sourcesText());
        writeSuite(lists, "sid", "Suite: unstable\nCodename: sid\n", SID);
        writeSuite(lists, "experimental", "Suite: experimental\nCodename: rc-buggy\nNotAutomatic: yes\n", EXPERIMENTAL);
        Files.writeString(state.resolve("updated"), Instant.now().toString());
        return suite.apt(new Cache(root.resolve("cache")), Progress.silent());
    }

    private static void writeSuite(Path lists, String suite, String release, String packages) throws IOException {
        String prefix = "mirror.example_debian_dists_" + suite + "_";
        Files.writeString(
                lists.resolve(prefix + "Release"),
                "Origin: Debian\nLabel: Debian\n" + release + "Architectures: amd64\nComponents: main\n");
        Files.writeString(lists.resolve(prefix + "main_binary-amd64_Packages"), packages);
    }
}
