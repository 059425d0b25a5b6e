package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import java.time.Duration;
import picocli.CommandLine;

/** picocli's way to a duration in the settings' forms: one that does not parse is reported with the option. */
final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            // Every duration setting parses alike; this one only lends its parser.
            return Settings.TRANSITION_TIMEOUT.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not a duration: write it as 500ms, 30s, 5m or PT1H");
        }
    }
}
