package dev.livepatch.testkit.source;

import dev.livepatch.testkit.kernel.KernelException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kconfig fragment kept with the toolkit ({@code livepatch-guest.config}, {@code trim.config}): the options it sets,
 * in order, each to a value or to "not set".
 *
 * @param name the file name, e.g. {@code livepatch-guest.config}
 * @param text the fragment as written
 * @param options each option's wanted value; empty for {@code # CONFIG_X is not set}
 */
record ConfigFragment(String name, String text, Map<String, Optional<String>> options) {
    private static final Pattern SET = Pattern.compile("^(CONFIG_[A-Za-z0-9_]+)=(.*)$");
    private static final Pattern NOT_SET = Pattern.compile("^# (CONFIG_[A-Za-z0-9_]+) is not set$");

    static final ConfigFragment GUEST = bundled("livepatch-guest.config");
    static final ConfigFragment TRIM = bundled("trim.config");

    static ConfigFragment parse(String name, String text) {
        Map<String, Optional<String>> options = new LinkedHashMap<>();
        for (String line : text.lines().map(String::strip).toList()) {
            Matcher set = SET.matcher(line);
            Matcher notSet = NOT_SET.matcher(line);
            if (set.matches()) {
                options.put(set.group(1), Optional.of(set.group(2)));
            } else if (notSet.matches()) {
                options.put(notSet.group(1), Optional.empty());
            }
        }
        return new ConfigFragment(name, text, Map.copyOf(options));
    }

    /** A {@code .config}'s values: {@code CONFIG_X=v} lines; options not set are absent. */
    static Map<String, String> readConfig(Path config) {
        Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
                Matcher set = SET.matcher(line.strip());
                if (set.matches()) {
                    values.put(set.group(1), set.group(2));
                }
            }
        } catch (IOException e) {
            throw new KernelException("Could not read the kernel configuration " + config, e);
        }
        return values;
    }

    /** The fragment's lines that {@code config} does not hold, as the fragment writes them, in the fragment's order. */
    List<String> unmet(Map<String, String> config) {
        List<String> unmet = new ArrayList<>();
        for (String line : text.lines().map(String::strip).toList()) {
            Matcher set = SET.matcher(line);
            Matcher notSet = NOT_SET.matcher(line);
            if (set.matches() && !set.group(2).equals(config.get(set.group(1)))) {
                unmet.add(line);
            } else if (notSet.matches() && isSet(config.get(notSet.group(1)))) {
                unmet.add(line);
            }
        }
        return unmet;
    }

    /** Writes the fragment as {@code folder/<name>} and returns the file. */
    Path writeTo(Path folder) throws IOException {
        return Files.writeString(folder.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static boolean isSet(String value) {
        return value != null && !value.equals("n");
    }

    static ConfigFragment bundled(String name) {
        try (InputStream in = ConfigFragment.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("The toolkit's " + name + " is missing from its resources");
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("The toolkit's " + name + " could not be read from its resources", e);
        }
    }
}
