package dev.livepatch.testkit.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelSpecTest {
    private static final Kernel DEBIAN_61 = new Kernel(
            "6.1.0-57-amd64",
            Path.of("/cache/vmlinuz"),
            Path.of("/cache/config"),
            Path.of("/cache/modules"),
            Path.of("/cache/build"),
            "gcc-12",
            new KernelOrigin.DebianPackage("this host's apt", "linux-image-6.1.0-57-amd64-unsigned", "6.1.158-1"));

    @Test
    void eachSpellingParsesToItsKindAndPrintsBackTheSame() {
        for (String spec : List.of(
                "debian",
                "debian:sid",
                "debian:6.1.0-57-amd64",
                "source:debian:sid",
                "source:/src/linux",
                "/src/linux-build")) {
            assertThat(KernelSpec.parse(spec)).hasToString(spec);
        }
        assertThat(KernelSpec.parse("debian")).isEqualTo(new KernelSpec.Debian(""));
        assertThat(KernelSpec.parse("debian:trixie")).isEqualTo(new KernelSpec.Debian("trixie"));
        assertThat(KernelSpec.parse("source:debian:sid")).isEqualTo(new KernelSpec.DebianSource("sid"));
        assertThat(KernelSpec.parse("source:/src/linux")).isEqualTo(new KernelSpec.SourceTree(Path.of("/src/linux")));
        assertThat(KernelSpec.parse("build")).isEqualTo(new KernelSpec.BuildTree(Path.of("build")));
    }

    @Test
    void aSourceTreeUnderHomeIsExpanded() {
        assertThat(KernelSpec.parse("source:~/linux"))
                .isEqualTo(new KernelSpec.SourceTree(Path.of(System.getProperty("user.home"), "linux")));
    }

    @Test
    void onlySourceTreesAreBuiltByTheToolkit() {
        assertThat(KernelSpec.parse("source:debian:sid").isSourceTree()).isTrue();
        assertThat(KernelSpec.parse("source:/src/linux").isSourceTree()).isTrue();
        assertThat(KernelSpec.parse("debian:sid").isSourceTree()).isFalse();
        assertThat(KernelSpec.parse("/build").isSourceTree()).isFalse();
    }

    @Test
    void aSpecPinsItselfToTheKernelItGave() {
        assertThat(KernelSpec.parse("debian").pinned(DEBIAN_61)).hasToString("debian:6.1.0-57-amd64");
        assertThat(KernelSpec.parse("debian:bookworm").pinned(DEBIAN_61)).hasToString("debian:6.1.0-57-amd64");
        assertThat(KernelSpec.parse("source:debian:sid").pinned(DEBIAN_61)).hasToString("source:debian:sid");
        assertThat(KernelSpec.parse("source:linux").pinned(DEBIAN_61)).hasToString("source:/cache/build");
        assertThat(KernelSpec.parse("/build").pinned(DEBIAN_61)).hasToString("/build");
    }

    @Test
    void anIncompleteSpecIsRefusedWithTheGrammar() {
        for (String spec : List.of("", "debian:", "source:", "source:debian:")) {
            assertThatThrownBy(() -> KernelSpec.parse(spec))
                    .isInstanceOf(KernelException.class)
                    .hasMessageStartingWith("Incomplete kernel spec '" + spec + "'. Use 'debian' (this host release's")
                    .hasMessageContaining("'source:<tree>' or 'source:debian:<suite>'");
        }
    }

    @Test
    void aKernelsOriginIsTypedAndDescribedAsBefore() {
        assertThat(DEBIAN_61.source())
                .isEqualTo("Debian this host's apt linux-image-6.1.0-57-amd64-unsigned 6.1.158-1");
        assertThat(new KernelOrigin.SourceBuild(Path.of("/t"), "Debian sid linux-source-7.2 7.2.13-1 (/t)", "0123")
                        .describe())
                .isEqualTo("source tree Debian sid linux-source-7.2 7.2.13-1 (/t), build 0123");
        assertThat(new Kernel("r", null, null, null, null, "gcc", "words").origin())
                .isEqualTo(new KernelOrigin.Described("words"));
    }
}
