package dev.livepatch.testkit.module;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.fornwall.jelf.ElfException;
import net.fornwall.jelf.ElfFile;
import net.fornwall.jelf.ElfSection;

/**
 * A kernel module's {@code .modinfo} section: NUL-separated {@code key=value} strings such as {@code vermagic},
 * {@code name}, {@code depends}, {@code livepatch} and one {@code parm}/{@code parmtype} per parameter.
 *
 * @param values every key with its values, in file order (keys such as {@code parm} repeat)
 */
public record ModInfo(Map<String, List<String>> values) {
    private static final String SECTION = ".modinfo";

    public ModInfo {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((key, list) -> copy.put(key, List.copyOf(list)));
        values = Collections.unmodifiableMap(copy);
    }

    /** Reads the {@code .modinfo} section of a {@code .ko} file. */
    public static ModInfo read(Path module) {
        ElfSection section;
        try {
            section = ElfFile.from(module).firstSectionByName(SECTION);
        } catch (IOException | ElfException e) {
            throw new ModuleException(module + " is not a readable kernel module (ELF): " + e.getMessage(), e);
        }
        if (section == null) {
            throw new ModuleException(module + " has no " + SECTION + " section, so it is not a kernel module");
        }
        return parse(section.getData());
    }

    /** Parses a {@code .modinfo} section's bytes; empty strings (alignment padding) are skipped. */
    public static ModInfo parse(byte[] section) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        int start = 0;
        for (int at = 0; at <= section.length; at++) {
            if (at == section.length || section[at] == 0) {
                if (at > start) {
                    String entry = new String(Arrays.copyOfRange(section, start, at), StandardCharsets.UTF_8);
                    int equals = entry.indexOf('=');
                    if (equals > 0) {
                        values.computeIfAbsent(entry.substring(0, equals), key -> new ArrayList<>())
                                .add(entry.substring(equals + 1));
                    }
                }
                start = at + 1;
            }
        }
        return new ModInfo(values);
    }

    public Optional<String> first(String key) {
        return values.getOrDefault(key, List.of()).stream().findFirst();
    }

    public List<String> all(String key) {
        return values.getOrDefault(key, List.of());
    }

    /** The module name kbuild recorded ({@code name=}), empty for modules built without it. */
    public Optional<String> name() {
        return first("name");
    }

    /** The full vermagic string, e.g. {@code 6.1.0-56-amd64 SMP preempt mod_unload modversions}. */
    public Optional<String> vermagic() {
        return first("vermagic");
    }

    /** The kernel release the module was built for: vermagic's first word. */
    public Optional<String> release() {
        return vermagic().map(String::strip).filter(v -> !v.isEmpty()).map(v -> v.split("\\s+")[0]);
    }

    /** The modules this one needs loaded first ({@code depends=}, comma-separated). */
    public List<String> depends() {
        return first("depends").stream()
                .flatMap(list -> Arrays.stream(list.split(",")))
                .map(String::strip)
                .filter(name -> !name.isEmpty())
                .toList();
    }

    /** Whether the module declares itself a livepatch ({@code livepatch=Y}). */
    public boolean livepatch() {
        return first("livepatch").filter("Y"::equals).isPresent();
    }

    /** Parameter names with their descriptions ({@code parm=name:description}). */
    public Map<String, String> parameters() {
        return split(all("parm"));
    }

    /** Parameter names with their types ({@code parmtype=name:int}). */
    public Map<String, String> parameterTypes() {
        return split(all("parmtype"));
    }

    private static Map<String, String> split(List<String> entries) {
        Map<String, String> result = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            if (colon > 0) {
                result.putIfAbsent(entry.substring(0, colon), entry.substring(colon + 1));
            }
        }
        return Collections.unmodifiableMap(result);
    }
}
