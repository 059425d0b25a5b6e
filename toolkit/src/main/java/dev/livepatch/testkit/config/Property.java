package dev.livepatch.testkit.config;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * A typed setting with a default, read from a JUnit configuration parameter of the running tests, a system property or
 * the matching environment variable ({@code livepatch.boot.timeout} ↔ {@code LIVEPATCH_BOOT_TIMEOUT}).
 */
@API(status = STABLE, since = "0.1")
public final class Property<T> {
    private final String name;
    private final T defaultValue;
    private final Function<String, T> parser;

    private Property(String name, T defaultValue, Function<String, T> parser) {
        this.name = Objects.requireNonNull(name);
        this.defaultValue = defaultValue;
        this.parser = parser;
    }

    public static Property<Duration> duration(String name, Duration defaultValue) {
        return new Property<>(name, defaultValue, Property::parseDuration);
    }

    public static Property<Integer> integer(String name, int defaultValue) {
        return new Property<>(name, defaultValue, Integer::valueOf);
    }

    public static Property<Boolean> bool(String name, boolean defaultValue) {
        return new Property<>(name, defaultValue, Boolean::valueOf);
    }

    public static Property<String> string(String name, String defaultValue) {
        return new Property<>(name, defaultValue, Function.identity());
    }

    /** A comma-separated list; blanks between commas are dropped. */
    public static Property<List<String>> list(String name) {
        return new Property<>(name, List.of(), Property::parseList);
    }

    public static Property<Path> path(String name, Path defaultValue) {
        return new Property<>(name, defaultValue, Path::of);
    }

    public static Property<Arch> arch(String name, Arch defaultValue) {
        return new Property<>(name, defaultValue, Arch::parse);
    }

    public String name() {
        return name;
    }

    public String environmentName() {
        return name.toUpperCase().replace('.', '_').replace('-', '_');
    }

    public T defaultValue() {
        return defaultValue;
    }

    /**
     * The configured value: the running JUnit run's configuration parameter ({@link SettingLayers}), then the system
     * property, then the environment variable, then the default.
     */
    public T get() {
        return raw().map(this::parse).orElse(defaultValue);
    }

    public Optional<String> raw() {
        Optional<String> layered = SettingLayers.lookup(name);
        if (layered.isPresent()) {
            return layered.map(String::trim);
        }
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(environmentName());
        }
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    public T parse(String value) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid value '" + value + "' for setting " + name, e);
        }
    }

    static List<String> parseList(String text) {
        return Arrays.stream(text.split(","))
                .map(String::strip)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /** Accepts ISO-8601 ({@code PT30S}) and short forms ({@code 500ms}, {@code 30s}, {@code 2m}). */
    static Duration parseDuration(String text) {
        String value = text.trim().toLowerCase();
        if (value.startsWith("pt") || value.startsWith("p")) {
            return Duration.parse(value.toUpperCase());
        }
        if (value.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
        }
        if (value.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(value.substring(0, value.length() - 1)) * 1000));
        }
        if (value.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)) * 60);
        }
        return Duration.ofSeconds(Long.parseLong(value));
    }

    @Override
    public String toString() {
        return name + "=" + get();
    }
}
