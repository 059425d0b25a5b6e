package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.kernel.KernelException;
import dev.livepatch.testkit.process.ExecResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a fake kconfig that acts in kconfig's order: {@code x86_64_defconfig} writes a configuration,
 * {@code merge_config.sh -m} lays fragments over it, {@code olddefconfig} settles it (here: drops what the test says
 * the architecture cannot have, as an i386 configuration loses {@code CONFIG_LIVEPATCH}).
 */
class TreeConfigurationTest {
    @TempDir
    Path root;

    @TempDir
    Path fragments;

    private final List<String> commands = new ArrayList<>();
    private Consumer<Map<String, String>> olddefconfig = config -> {};

    @BeforeEach
    void writeFragments() throws IOException {
        ConfigFragment.GUEST.writeTo(fragments);
        ConfigFragment.TRIM.writeTo(fragments);
    }

    private TreeConfiguration configuration(boolean trim) {
        KernelTree tree = new KernelTree(root, root.toString(), 16);
        return new TreeConfiguration(
                tree, new FakeKconfig(), fragments, Duration.ofMinutes(1), OutputStream.nullOutputStream(), trim);
    }

    private Map<String, String> config() {
        return ConfigFragment.readConfig(root.resolve(".config"));
    }

    private void writeConfig(Map<String, String> values) {
        StringBuilder text = new StringBuilder();
        values.forEach(
                (name, value) -> text.append(name).append('=').append(value).append('\n'));
        try {
            Files.writeString(root.resolve(".config"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> everythingTheGuestNeeds() {
        Map<String, String> values = new LinkedHashMap<>();
        ConfigFragment.GUEST.options().forEach((name, value) -> value.ifPresent(v -> values.put(name, v)));
        return values;
    }

    @Test
    void aTreeWithoutConfigurationStartsFromDefconfigWithTheGuestAndTrimFragments() {
        String how = configuration(true).prepare();

        assertThat(how).isEqualTo("x86_64_defconfig + livepatch-guest.config + trim.config");
        assertThat(commands)
                .containsExactly(
                        "make -s x86_64_defconfig",
                        "sh scripts/kconfig/merge_config.sh -m .config " + fragments.resolve("livepatch-guest.config")
                                + " " + fragments.resolve("trim.config"),
                        "make -s olddefconfig");
        assertThat(config()).containsEntry("CONFIG_LIVEPATCH", "y").doesNotContainKey("CONFIG_DRM");
    }

    @Test
    void aDefaultConfigurationIsKeptWhileTheFragmentsStayTheSameAndMadeAgainWhenTheyChange() throws IOException {
        configuration(true).prepare();
        commands.clear();

        assertThat(configuration(true).prepare())
                .isEqualTo("x86_64_defconfig + livepatch-guest.config + trim.config (unchanged since its last build)");
        assertThat(commands).isEmpty();

        Files.writeString(root.resolve(".config"), "CONFIG_DRM=y\n", StandardOpenOption.APPEND);
        assertThat(configuration(true).prepare()).isEqualTo("the default configuration made at the tree's first build");
        assertThat(commands).containsExactly("make -s olddefconfig");

        Files.writeString(root.resolve(TreeConfiguration.DEFAULT_MARK), "made from older fragments\n");
        commands.clear();

        assertThat(configuration(true).prepare()).isEqualTo("x86_64_defconfig + livepatch-guest.config + trim.config");
        assertThat(commands).startsWith("make -s x86_64_defconfig");
    }

    @Test
    void aTreesOwnConfigurationIsNeverReplaced() {
        Map<String, String> own = everythingTheGuestNeeds();
        own.put("CONFIG_DRM", "y");
        writeConfig(own);
        configuration(true).prepare();

        assertThat(root.resolve(TreeConfiguration.DEFAULT_MARK)).doesNotExist();
        assertThat(config()).containsEntry("CONFIG_DRM", "y");
    }

    @Test
    void withoutTrimmingTheDefaultConfigurationIsDefconfigWithTheGuestFragment() {
        assertThat(configuration(false).prepare()).isEqualTo("x86_64_defconfig + livepatch-guest.config");
        assertThat(config()).containsEntry("CONFIG_DRM", "y");
    }

    @Test
    void aTreesOwnConfigurationThatHasEverythingIsKept() {
        Map<String, String> own = everythingTheGuestNeeds();
        own.put("CONFIG_DRM", "y");
        writeConfig(own);

        assertThat(configuration(true).prepare()).isEqualTo("the tree's own .config");
        assertThat(commands).containsExactly("make -s olddefconfig");
        assertThat(config()).containsEntry("CONFIG_DRM", "y");
    }

    @Test
    void whatATreesOwnConfigurationLacksIsMergedAndListed() {
        Map<String, String> own = everythingTheGuestNeeds();
        own.remove("CONFIG_LIVEPATCH");
        own.put("CONFIG_LD_DEAD_CODE_DATA_ELIMINATION", "y");
        own.put("CONFIG_DRM", "y");
        writeConfig(own);

        String how = configuration(true).prepare();

        assertThat(how)
                .isEqualTo("the tree's own .config, with what a livepatch guest needs merged in: CONFIG_LIVEPATCH=y,"
                        + " # CONFIG_LD_DEAD_CODE_DATA_ELIMINATION is not set");
        assertThat(commands)
                .containsExactly(
                        "sh scripts/kconfig/merge_config.sh -m .config " + fragments.resolve("livepatch-guest.config"),
                        "make -s olddefconfig");
        assertThat(config())
                .containsEntry("CONFIG_LIVEPATCH", "y")
                .containsEntry("CONFIG_DRM", "y")
                .doesNotContainKey("CONFIG_LD_DEAD_CODE_DATA_ELIMINATION");
    }

    @Test
    void aConfigurationThatCannotHoldTheGuestFragmentIsRefusedWithTheLinesThatDoNot() {
        Map<String, String> own = everythingTheGuestNeeds();
        own.remove("CONFIG_64BIT");
        writeConfig(own);
        olddefconfig = config -> {
            config.remove("CONFIG_LIVEPATCH");
            config.remove("CONFIG_UNWINDER_ORC");
        };

        assertThatThrownBy(() -> configuration(true).prepare())
                .isInstanceOf(KernelException.class)
                .hasMessage("The configuration of " + root + " cannot make a livepatch guest: after merging"
                        + " livepatch-guest.config and 'make olddefconfig', these do not hold:\n"
                        + "  CONFIG_LIVEPATCH=y\n  CONFIG_UNWINDER_ORC=y\n"
                        + "Something they depend on is off or missing (look each up with '/' in 'make menuconfig'),"
                        + " or remove the tree's .config to start from x86_64_defconfig.");
    }

    private final class FakeKconfig implements TreeShell {
        @Override
        public ExecResult run(
                List<String> command,
                Map<String, String> environment,
                List<Path> readable,
                List<Path> writable,
                Duration timeout,
                OutputStream log) {
            commands.add(String.join(" ", command));
            Map<String, String> config = new LinkedHashMap<>();
            if (Files.isRegularFile(root.resolve(".config"))) {
                config.putAll(config());
            }
            if (command.equals(List.of("make", "-s", "x86_64_defconfig"))) {
                config.clear();
                config.put("CONFIG_64BIT", "y");
                config.put("CONFIG_DRM", "y");
                config.put("CONFIG_LD_DEAD_CODE_DATA_ELIMINATION", "y");
            } else if (command.get(1).equals("scripts/kconfig/merge_config.sh")) {
                for (Path fragment : command.subList(4, command.size()).stream()
                        .map(Path::of)
                        .toList()) {
                    assertThat(readable).contains(fragment.getParent());
                    ConfigFragment.parse("f", read(fragment)).options().forEach((name, value) -> {
                        config.remove(name);
                        value.ifPresent(v -> config.put(name, v));
                    });
                }
            } else if (command.equals(List.of("make", "-s", "olddefconfig"))) {
                olddefconfig.accept(config);
            } else {
                throw new AssertionError("kconfig was not asked for " + command);
            }
            writeConfig(config);
            return new ExecResult(String.join(" ", command), 0, "", "", Duration.ZERO);
        }

        @Override
        public String describe() {
            return "a fake kconfig";
        }

        private static String read(Path file) {
            try {
                return Files.readString(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
