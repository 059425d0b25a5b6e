package dev.livepatch.testkit.source;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CRC of each exported symbol, from a build's {@code Module.symvers} ({@code crc, symbol, module, export type,
 * namespace}, tab-separated). With {@code CONFIG_MODVERSIONS} a symbol's CRC is a hash of its type, so a changed CRC
 * means a changed type that loaded modules were checked against.
 */
record SymbolVersions(Map<String, String> crcs) {
    SymbolVersions {
        crcs = Map.copyOf(crcs);
    }

    static SymbolVersions read(Path symvers) {
        Map<String, String> crcs = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(symvers)) {
                String[] fields = line.split("\t");
                if (fields.length >= 3) {
                    crcs.put(fields[1] + " (" + fields[2] + ")", fields[0]);
                }
            }
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read " + symvers, e);
        }
        return new SymbolVersions(crcs);
    }

    /** Each symbol both builds export whose CRC differs, as {@code symbol (module): old -> new}, sorted. */
    List<String> changedIn(SymbolVersions after) {
        return crcs.entrySet().stream()
                .filter(entry -> after.crcs().containsKey(entry.getKey())
                        && !after.crcs().get(entry.getKey()).equals(entry.getValue()))
                .map(entry -> entry.getKey() + ": " + entry.getValue() + " -> "
                        + after.crcs().get(entry.getKey()))
                .sorted()
                .toList();
    }
}
