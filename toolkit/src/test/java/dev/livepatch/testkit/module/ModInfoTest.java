package dev.livepatch.testkit.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModInfoTest {

    @Test
    void readsTheModinfoOfARealLivepatchModule() {
        ModInfo modInfo = ModInfo.read(TestModules.livepatch());

        assertThat(modInfo.name()).contains("lpt_meminfo");
        assertThat(modInfo.vermagic()).contains(TestModules.RELEASE + " SMP preempt mod_unload modversions ");
        assertThat(modInfo.release()).contains(TestModules.RELEASE);
        assertThat(modInfo.livepatch()).isTrue();
        assertThat(modInfo.depends()).isEmpty();
        assertThat(modInfo.first("license")).contains("GPL");
        assertThat(modInfo.parameters())
                .containsExactly(
                        Map.entry("replace", "atomically replace all earlier patches when non-zero (default 0)"));
        assertThat(modInfo.parameterTypes()).containsExactly(Map.entry("replace", "int"));
    }

    @Test
    void aPlainModuleIsNoLivepatch() {
        ModInfo modInfo = ModInfo.read(TestModules.plainModule());

        assertThat(modInfo.name()).contains("lpt_target");
        assertThat(modInfo.livepatch()).isFalse();
        assertThat(modInfo.first("livepatch")).isEmpty();
        assertThat(modInfo.parameters()).isEmpty();
    }

    @Test
    void skipsPaddingAndKeepsRepeatedKeysInOrder() {
        byte[] section = ("\0\0parm=a:first\0parmtype=a:int\0\0\0parm=b:second\0parmtype=b:bool\0"
                        + "depends=lpt_target, lpt_busy\0no-equals-sign\0\0")
                .getBytes(StandardCharsets.UTF_8);

        ModInfo modInfo = ModInfo.parse(section);

        assertThat(modInfo.values().keySet()).containsExactly("parm", "parmtype", "depends");
        assertThat(modInfo.all("parm")).containsExactly("a:first", "b:second");
        assertThat(modInfo.parameters()).containsExactly(Map.entry("a", "first"), Map.entry("b", "second"));
        assertThat(modInfo.parameterTypes()).containsExactly(Map.entry("a", "int"), Map.entry("b", "bool"));
        assertThat(modInfo.depends()).isEqualTo(List.of("lpt_target", "lpt_busy"));
        assertThat(modInfo.vermagic()).isEmpty();
        assertThat(modInfo.release()).isEmpty();
    }

    @Test
    void aValueMayContainEqualsSigns() {
        ModInfo modInfo = ModInfo.parse("description=a=b\0".getBytes(StandardCharsets.UTF_8));

        assertThat(modInfo.first("description")).contains("a=b");
    }

    @Test
    void refusesAFileThatIsNotElf(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("notes.ko"), "not a module");

        assertThatThrownBy(() -> ModInfo.read(file))
                .isInstanceOf(ModuleException.class)
                .hasMessageStartingWith(file + " is not a readable kernel module (ELF): ");
    }

    @Test
    void refusesAnElfFileWithoutModinfo() {
        Path program = Path.of("/bin/true");

        assertThatThrownBy(() -> ModInfo.read(program))
                .isInstanceOf(ModuleException.class)
                .hasMessage("/bin/true has no .modinfo section, so it is not a kernel module");
    }
}
