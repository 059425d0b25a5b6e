package dev.livepatch.testkit.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFragmentTest {
    private static final ConfigFragment FRAGMENT = ConfigFragment.parse(
            "test.config", "# a comment\nCONFIG_LIVEPATCH=y\nCONFIG_LOG_BUF_SHIFT=18\n# CONFIG_DRM is not set\n\n");

    @Test
    void readsWantedValuesAndOptionsNotSet() {
        assertThat(FRAGMENT.options())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "CONFIG_LIVEPATCH", Optional.of("y"),
                        "CONFIG_LOG_BUF_SHIFT", Optional.of("18"),
                        "CONFIG_DRM", Optional.empty()));
    }

    @Test
    void listsTheLinesAConfigurationDoesNotHoldInTheFragmentsOrder() {
        assertThat(FRAGMENT.unmet(Map.of("CONFIG_DRM", "m", "CONFIG_LOG_BUF_SHIFT", "17")))
                .containsExactly("CONFIG_LIVEPATCH=y", "CONFIG_LOG_BUF_SHIFT=18", "# CONFIG_DRM is not set");
        assertThat(FRAGMENT.unmet(Map.of("CONFIG_LIVEPATCH", "y", "CONFIG_LOG_BUF_SHIFT", "18")))
                .isEmpty();
        assertThat(FRAGMENT.unmet(Map.of("CONFIG_LIVEPATCH", "y", "CONFIG_LOG_BUF_SHIFT", "18", "CONFIG_DRM", "n")))
                .isEmpty();
    }

    @Test
    void readsAConfigFileAsKconfigWritesIt(@TempDir Path folder) throws IOException {
        Path config = Files.writeString(
                folder.resolve(".config"),
                "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_CC_VERSION_TEXT=\"gcc (Debian 16.2.0-4)"
                        + " 16.2.0\"\nCONFIG_LIVEPATCH=y\n# CONFIG_DRM is not set\n");

        assertThat(ConfigFragment.readConfig(config))
                .containsExactly(
                        Map.entry("CONFIG_CC_VERSION_TEXT", "\"gcc (Debian 16.2.0-4) 16.2.0\""),
                        Map.entry("CONFIG_LIVEPATCH", "y"));
    }

    @Test
    void theGuestFragmentAsksForLivepatchingAndKeepsOutWhatKlpBuildRefuses() {
        assertThat(ConfigFragment.GUEST.options())
                .containsEntry("CONFIG_LIVEPATCH", Optional.of("y"))
                .containsEntry("CONFIG_PVH", Optional.of("y"))
                .containsEntry("CONFIG_LD_DEAD_CODE_DATA_ELIMINATION", Optional.empty())
                .containsEntry("CONFIG_GCC_PLUGIN_RANDSTRUCT", Optional.empty());
        assertThat(ConfigFragment.TRIM.options().keySet())
                .doesNotContainAnyElementsOf(ConfigFragment.GUEST.options().keySet());
        assertThat(ConfigFragment.TRIM.options())
                .containsEntry("CONFIG_EXPERT", Optional.of("y"))
                .containsEntry("CONFIG_DRM", Optional.empty())
                .containsEntry("CONFIG_BLOCK", Optional.empty());
    }
}
