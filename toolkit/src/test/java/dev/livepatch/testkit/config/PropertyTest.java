package dev.livepatch.testkit.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PropertyTest {
    private static final String NAME =
            "livepatch.test.property-" + ProcessHandle.current().pid();

    @AfterEach
    void clearSystemProperties() {
        System.clearProperty(NAME);
        System.clearProperty("path");
    }

    @Test
    void aRunsLayerWinsOverSystemPropertiesUntilItIsClosedAndTheInnermostLayerFirst() {
        Property<Integer> cpus = Property.integer(NAME, 1);
        System.setProperty(NAME, "2");

        try (SettingLayers.Layer outer = SettingLayers.push(name -> Optional.of(name.equals(NAME) ? "3" : ""))) {
            assertThat(cpus.get()).isEqualTo(3);
            try (SettingLayers.Layer inner = SettingLayers.push(name -> Optional.of("4"))) {
                assertThat(cpus.get()).isEqualTo(4);
            }
            assertThat(cpus.get()).isEqualTo(3);
            try (SettingLayers.Layer blank = SettingLayers.push(name -> Optional.of(" "))) {
                assertThat(cpus.get()).as("a blank value is no value").isEqualTo(3);
            }
        }
        assertThat(cpus.get()).isEqualTo(2);
    }

    @Test
    void listsDropBlanksBetweenCommas() {
        assertThat(Property.list(NAME).parse(" debian, ,debian:sid,")).containsExactly("debian", "debian:sid");
    }

    @Test
    void durationsAcceptShortAndIsoForms() {
        Property<Duration> timeout = Property.duration(NAME, Duration.ofMinutes(3));

        assertThat(timeout.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(timeout.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(timeout.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(timeout.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(timeout.parse("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(timeout.parse("pt90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(timeout.parse(" 45 ")).isEqualTo(Duration.ofSeconds(45));
    }

    @Test
    void aBadValueNamesTheSettingAndTheValue() {
        Property<Duration> timeout = Property.duration("livepatch.boot.timeout", Duration.ofMinutes(3));

        assertThatThrownBy(() -> timeout.parse("soon"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value 'soon' for setting livepatch.boot.timeout")
                .hasCauseInstanceOf(NumberFormatException.class);
        assertThatThrownBy(() -> Property.integer("livepatch.cpus", 1).parse("two"))
                .hasMessage("Invalid value 'two' for setting livepatch.cpus");
    }

    @Test
    void aBadConfiguredValueFailsWhenRead() {
        System.setProperty(NAME, "2 hours");

        assertThatThrownBy(() -> Property.duration(NAME, Duration.ZERO).get())
                .hasMessage("Invalid value '2 hours' for setting " + NAME);
    }

    @Test
    void systemPropertyBeatsEnvironmentWhichBeatsDefault() {
        Property<String> path = Property.string("path", "default");
        assertThat(path.environmentName()).isEqualTo("PATH");
        assertThat(path.get()).isEqualTo(System.getenv("PATH")).isNotEqualTo("default");

        System.setProperty("path", "  from-system-property ");
        assertThat(path.get()).isEqualTo("from-system-property");

        System.setProperty("path", " ");
        assertThat(path.get()).isEqualTo(System.getenv("PATH"));
    }

    @Test
    void theDefaultAppliesWhenNothingIsSet() {
        assertThat(Property.integer(NAME, 512).get()).isEqualTo(512);
        assertThat(Property.bool(NAME, true).get()).isTrue();
        assertThat(Property.path(NAME, Path.of("/var/cache")).raw()).isEmpty();

        System.setProperty(NAME, "/srv/cache");
        assertThat(Property.path(NAME, Path.of("/var/cache")).get()).isEqualTo(Path.of("/srv/cache"));
    }

    @Test
    void environmentNameIsUpperCaseWithUnderscores() {
        assertThat(Property.string("livepatch.ssh-key.dir", "").environmentName())
                .isEqualTo("LIVEPATCH_SSH_KEY_DIR");
        assertThat(Settings.BOOT_TIMEOUT.environmentName()).isEqualTo("LIVEPATCH_BOOT_TIMEOUT");
    }
}
