package dev.livepatch.testkit.host;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * One line of the declared host programs: a program (or a file a package provides), the Debian package that
 * provides it, when it is needed, and what for.
 *
 * @param program a name looked up on {@code PATH}, an absolute path, or a pattern with {@code <major>}
 * @param debianPackage the package to install, with {@code <major>} where the program has it
 * @param need when the launcher installs it
 * @param usedFor what needs it, and the fallback for an optional one
 */
@API(status = INTERNAL, since = "0.1")
public record HostProgram(String program, String debianPackage, Need need, String usedFor) {
    private static final String MAJOR = "<major>";

    /** When a program must be present. */
    public enum Need {
        /** The main job needs it: installed before any command. */
        ALWAYS,
        /** The container build backend needs it. */
        CONTAINERS,
        /** Only the toolkit's own tests start it. */
        TESTS,
        /** The emulator of another architecture's guests: installed when a run asks for that architecture. */
        EMULATORS,
        /** Has a fallback; never installed automatically. */
        OPTIONAL
    }

    boolean isFile() {
        return program.startsWith("/");
    }

    boolean isPattern() {
        return program.contains(MAJOR);
    }

    /** Whether {@code name} (a program name or an absolute path) is this line's program. */
    boolean matches(String name) {
        if (isPattern()) {
            return Pattern.compile(Pattern.quote(program).replace(MAJOR, "\\E[0-9]+\\Q"))
                    .matcher(name)
                    .matches();
        }
        return program.equals(name);
    }

    /** The package that provides {@code name}, one of this line's programs: with its major version filled in. */
    String packageFor(String name) {
        if (!isPattern()) {
            return debianPackage;
        }
        Matcher matcher = Pattern.compile(Pattern.quote(program).replace(MAJOR, "\\E([0-9]+)\\Q"))
                .matcher(name);
        return matcher.matches() ? debianPackage.replace(MAJOR, matcher.group(1)) : debianPackage;
    }

    /** Where this program is on this host: on {@code searchPath} for a name, the path itself for a file. */
    Optional<Path> locate(String searchPath) {
        if (isPattern()) {
            return Optional.empty();
        }
        if (isFile()) {
            Path file = Path.of(program);
            return Files.exists(file) ? Optional.of(file) : Optional.empty();
        }
        for (String dir : searchPath.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
