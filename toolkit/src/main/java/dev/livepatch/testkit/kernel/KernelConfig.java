package dev.livepatch.testkit.kernel;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.config.Arch;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/** A kernel {@code .config}: its options, and whether they allow livepatching. */
@API(status = INTERNAL, since = "0.1")
public final class KernelConfig {
    /** Each requirement is met when any of its alternatives is {@code y}. */
    private static final List<List<String>> LIVEPATCH_REQUIREMENTS = List.of(
            List.of("CONFIG_LIVEPATCH"),
            List.of("CONFIG_HAVE_RELIABLE_STACKTRACE"),
            List.of("CONFIG_DYNAMIC_FTRACE_WITH_REGS", "CONFIG_DYNAMIC_FTRACE_WITH_ARGS"));

    private final Path file;
    private final Map<String, String> options;
    private final Map<String, String> lines;

    private KernelConfig(Path file, Map<String, String> options, Map<String, String> lines) {
        this.file = file;
        this.options = options;
        this.lines = lines;
    }

    public static KernelConfig read(Path file) {
        try {
            return parse(file, Files.readAllLines(file));
        } catch (IOException e) {
            throw new KernelException("Could not read kernel config " + file, e);
        }
    }

    static KernelConfig parse(Path file, List<String> text) {
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, String> lines = new LinkedHashMap<>();
        for (String line : text) {
            if (line.startsWith("CONFIG_") && line.contains("=")) {
                String key = line.substring(0, line.indexOf('='));
                String value = line.substring(line.indexOf('=') + 1);
                options.put(key, value.startsWith("\"") ? value.substring(1, value.length() - 1) : value);
                lines.put(key, line);
            } else if (line.startsWith("# CONFIG_") && line.endsWith(" is not set")) {
                lines.put(line.substring(2, line.indexOf(' ', 2)), line);
            }
        }
        return new KernelConfig(file, options, lines);
    }

    public Optional<String> get(String option) {
        return Optional.ofNullable(options.get(option));
    }

    /** The architecture the configuration is for (its {@link Arch#configSymbol()}); x86_64 when it names none. */
    public Arch arch() {
        return Arch.ALL.stream()
                .filter(arch -> "y".equals(options.get(arch.configSymbol())))
                .findFirst()
                .orElse(Arch.X86_64);
    }

    /** {@code CONFIG_CC_VERSION_TEXT}, e.g. {@code gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0}. */
    public String compiler() {
        return get("CONFIG_CC_VERSION_TEXT").orElse("unknown");
    }

    /** Refuses a kernel that cannot be livepatched, quoting the config line that is missing or wrong. */
    public void requireLivepatchSupport(String kernelName) {
        List<String> problems = new ArrayList<>();
        for (List<String> alternatives : LIVEPATCH_REQUIREMENTS) {
            if (alternatives.stream().noneMatch(option -> "y".equals(options.get(option)))) {
                String primary = alternatives.get(0);
                String found = lines.containsKey(primary) ? "found '" + lines.get(primary) + "'" : "absent";
                problems.add(String.join(
                                " or ", alternatives.stream().map(o -> o + "=y").toList()) + " (" + found + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new KernelException("Kernel " + kernelName + " cannot be livepatched: " + file + " lacks "
                    + String.join("; ", problems)
                    + ". Rebuild it with these options, or use the default Debian kernel (--kernel debian).");
        }
    }
}
