package dev.livepatch.testkit.deb;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Parses the text that {@code apt-cache show} and {@code apt-cache depends} print. */
final class AptOutput {
    private AptOutput() {}

    static Map<String, Apt.Candidate> parseShow(String text) {
        Map<String, Apt.Candidate> result = new LinkedHashMap<>();
        for (String stanza : text.split("\n\\s*\n")) {
            String name = field(stanza, "Package");
            String version = field(stanza, "Version");
            String architecture = field(stanza, "Architecture");
            if (name != null && version != null && architecture != null) {
                String file = name + "_" + version.replace(":", "%3a") + "_" + architecture + ".deb";
                result.putIfAbsent(name, new Apt.Candidate(name, version, file));
            }
        }
        return result;
    }

    /** Every real package named in a recursive depends listing (virtual packages in angle brackets are left out). */
    static Set<String> parseDependsRecursive(String text) {
        Set<String> names = new LinkedHashSet<>();
        for (String line : text.lines().toList()) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0)) && !line.startsWith("<")) {
                names.add(line.strip());
            }
        }
        return names;
    }

    static List<String> parseDirectDepends(String text) {
        List<String> names = new ArrayList<>();
        for (String line : text.lines().toList()) {
            String trimmed = line.strip();
            if (trimmed.startsWith("Depends:") || trimmed.startsWith("|Depends:")) {
                String name = trimmed.substring(trimmed.indexOf(':') + 1).strip();
                if (!name.startsWith("<")) {
                    names.add(name);
                }
            }
        }
        return names;
    }

    private static String field(String stanza, String key) {
        for (String line : stanza.lines().toList()) {
            if (line.startsWith(key + ":")) {
                return line.substring(key.length() + 1).strip();
            }
        }
        return null;
    }
}
