package dev.livepatch.testkit.module;

import static org.apiguardian.api.API.Status.STABLE;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A kernel module's {@code .modinfo} section: NUL-separated {@code key=value} strings such as {@code vermagic},
 * {@code name}, {@code depends}, {@code livepatch} and one {@code parm}/{@code parmtype} per parameter.
 *
 * @param values every key with its values, in file order (keys such as {@code parm} repeat)
 */
@API(status = STABLE, since = "0.1")
public record ModInfo(Map<String, List<String>> values) {
    private static final String SECTION = ".modinfo";

    public ModInfo {
        Map<String, List<String>> copy = new LinkedHashMap<>();
        values.forEach((key, list) -> copy.put(key, List.copyOf(list)));
        values = Collections.unmodifiableMap(copy);
    }

    /** Reads the {@code .modinfo} section of a {@code .ko} file (compressed or not). */
    public static ModInfo read(Path module) {
        byte[] elf;
        try {
            elf = ModuleFiles.read(module);
        } catch (IOException e) {
            throw new ModuleException(module + " is not a readable kernel module (ELF): " + e.getMessage(), e);
        }
        return of(elf, module.toString());
    }

    /** Reads the {@code .modinfo} section of a module's ELF bytes; {@code what} names it in errors. */
    public static ModInfo of(byte[] elf, String what) {
        return parse(section(elf, what));
    }

    /**
     * The bytes of the {@code .modinfo} section, found through the section headers alone: notes and other sections
     * a newer toolchain adds are never parsed.
     */
    private static byte[] section(byte[] elf, String what) {
        if (elf.length < 0x40
                || elf[0] != 0x7f
                || elf[1] != 'E'
                || elf[2] != 'L'
                || elf[3] != 'F'
                || elf[4] != 2
                || (elf[5] != 1 && elf[5] != 2)) {
            throw new ModuleException(what + " is not a readable kernel module (ELF): not a 64-bit ELF file");
        }
        // Byte 5 of the identification: 1 little-endian, 2 big-endian (s390x's modules).
        ByteBuffer data = ByteBuffer.wrap(elf).order(elf[5] == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        try {
            long headers = data.getLong(0x28);
            int entrySize = Short.toUnsignedInt(data.getShort(0x3a));
            int count = Short.toUnsignedInt(data.getShort(0x3c));
            int namesIndex = Short.toUnsignedInt(data.getShort(0x3e));
            int names = Math.toIntExact(data.getLong(Math.toIntExact(headers + (long) namesIndex * entrySize + 0x18)));
            for (int i = 0; i < count; i++) {
                int header = Math.toIntExact(headers + (long) i * entrySize);
                if (name(elf, names + data.getInt(header)).equals(SECTION)) {
                    int offset = Math.toIntExact(data.getLong(header + 0x18));
                    int size = Math.toIntExact(data.getLong(header + 0x20));
                    return Arrays.copyOfRange(elf, offset, Math.addExact(offset, size));
                }
            }
        } catch (IndexOutOfBoundsException | ArithmeticException e) {
            throw new ModuleException(
                    what + " is not a readable kernel module (ELF): its section headers point outside" + " the file ("
                            + elf.length + " bytes); is it truncated?",
                    e);
        }
        throw new ModuleException(what + " has no " + SECTION + " section, so it is not a kernel module");
    }

    private static String name(byte[] elf, int at) {
        int end = at;
        while (elf[end] != 0) {
            end++;
        }
        return new String(elf, at, end - at, StandardCharsets.US_ASCII);
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
