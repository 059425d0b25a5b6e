package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.patch.PatchManifest;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.ProjectPatches;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleKeyTest {
    private static final String RELEASE = "6.1.0-56-amd64";
    private static final String GCC = "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0";
    private static final String BUILD = "symbols none config none";

    @TempDir
    Path dir;

    @Test
    void isStableAndIndependentOfWhereThePatchLives() {
        PatchSource original = source(ProjectPatches.directory(), "lpt_cmdline");
        PatchSource copy = source(ProjectPatches.copy(dir, "lpt_cmdline"), "lpt_cmdline");

        String key = key(original);

        assertThat(key(original)).isEqualTo(key);
        assertThat(key(copy)).isEqualTo(key);
        assertThat(key).matches("lpt_cmdline-[0-9a-f]{32}");
    }

    @Test
    void changesWithTheSource() throws IOException {
        PatchSource source = source(ProjectPatches.copy(dir, "lpt_cmdline"), "lpt_cmdline");
        String before = key(source);

        Files.writeString(source.directory().resolve("lpt_cmdline.c"), "\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(key(source)).isNotEqualTo(before);
    }

    @Test
    void changesWithTheManifestAndWithANewHeader() throws IOException {
        PatchSource source = source(ProjectPatches.copy(dir, "lpt_cmdline"), "lpt_cmdline");
        String before = key(source);

        Files.writeString(
                source.directory().resolve("patch.properties"), "# changed\n", java.nio.file.StandardOpenOption.APPEND);
        String afterManifest = key(source);
        Files.writeString(source.directory().resolve("lpt_helpers.h"), "#define X 1\n");

        assertThat(afterManifest).isNotEqualTo(before);
        assertThat(key(source)).isNotEqualTo(afterManifest).isNotEqualTo(before);
    }

    @Test
    void ignoresBuildLeftoversInThePatchFolder() throws IOException {
        PatchSource source = source(ProjectPatches.copy(dir, "lpt_cmdline"), "lpt_cmdline");
        String before = key(source);

        Files.writeString(source.directory().resolve("lpt_cmdline.o"), "object");
        Files.writeString(source.directory().resolve(".lpt_cmdline.o.cmd"), "cmd");
        Files.writeString(source.directory().resolve("Module.symvers"), "");

        assertThat(key(source)).isEqualTo(before);
    }

    @Test
    void changesWithKernelCompilerAndBackend() {
        PatchSource source = source(ProjectPatches.directory(), "lpt_cmdline");
        String key = key(source);

        assertThat(ModuleKey.of(source, "6.1.0-57-amd64", BUILD, GCC, "native").value())
                .isNotEqualTo(key);
        assertThat(ModuleKey.of(source, RELEASE, BUILD, "gcc-12 (Debian 12.2.0-14+deb12u2) 12.2.0", "native")
                        .value())
                .isNotEqualTo(key);
        assertThat(ModuleKey.of(source, RELEASE, BUILD, GCC, "container").value())
                .isNotEqualTo(key);
    }

    @Test
    void changesWithTheKernelsSymbolVersionsAndConfig() throws IOException {
        PatchSource source = source(ProjectPatches.directory(), "lpt_cmdline");
        Path build = Files.createDirectories(dir.resolve("build"));
        String bare = ModuleKey.kernelBuild(build);
        Files.writeString(build.resolve("Module.symvers"), "0x12345678\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n");
        String withSymbols = ModuleKey.kernelBuild(build);
        Files.writeString(build.resolve(".config"), "CONFIG_LIVEPATCH=y\n");
        String withConfig = ModuleKey.kernelBuild(build);

        assertThat(bare).isEqualTo("symbols none config none");
        assertThat(List.of(bare, withSymbols, withConfig)).doesNotHaveDuplicates();
        assertThat(ModuleKey.of(source, RELEASE, withSymbols, GCC, "native").value())
                .isNotEqualTo(
                        ModuleKey.of(source, RELEASE, withConfig, GCC, "native").value());
    }

    @Test
    void changesWithAnIncludedPatch() throws IOException {
        Path patches = ProjectPatches.copy(dir, "lpt_state2", "lpt_state3");
        PatchSource state3 = source(patches, "lpt_state3");
        String before = key(state3);

        Files.writeString(patches.resolve("lpt_state2/lpt_state2.c"), "\n", java.nio.file.StandardOpenOption.APPEND);

        assertThat(key(state3)).isNotEqualTo(before);
    }

    @Test
    void keepsTheKeysOfExistingCacheEntries() throws IOException {
        Path build = Files.createDirectories(dir.resolve("pinned"));
        Files.writeString(build.resolve(".config"), "CONFIG_X=y\n");

        assertThat(new ModuleKey("mod", List.of("a", "b")).value()).isEqualTo("mod-7e18f737311b2dc3b2f269dd78396b03");
        assertThat(ModuleKey.kernelBuild(build))
                .isEqualTo("symbols none config 1f7630d899dcba3785654af21322a2c8853722810228d473f558cfd5513e9d72");
    }

    @Test
    void describesItsInputs() {
        PatchSource source = source(ProjectPatches.directory(), "lpt_state3");

        assertThat(ModuleKey.of(source, RELEASE, BUILD, GCC, "native").describe())
                .startsWith(
                        "livepatch-testkit module key 2\nbackend native\nkernel " + RELEASE + "\nkernel build " + BUILD
                                + "\ncompiler " + GCC
                                + "\npatch lpt_state3 livepatch\n")
                .containsPattern("(?m)^file lpt_state3/lpt_state3\\.c [0-9a-f]{64}$")
                .containsPattern("(?m)^file lpt_state3/patch\\.properties [0-9a-f]{64}$")
                .containsPattern("(?m)^file lpt_state2/lpt_state2\\.c [0-9a-f]{64}$");
    }

    private static String key(PatchSource source) {
        return ModuleKey.of(source, RELEASE, BUILD, GCC, "native").value();
    }

    private static PatchSource source(Path patches, String name) {
        return PatchManifest.read(patches.resolve(name));
    }
}
