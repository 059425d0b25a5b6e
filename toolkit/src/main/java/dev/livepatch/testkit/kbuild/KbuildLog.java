package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.patch.CompilerDiagnostic;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a kbuild log: the compiler's {@code file:line:col: error: message} lines and modpost's {@code ERROR:} lines. */
final class KbuildLog {
    private static final Pattern DIAGNOSTIC =
            Pattern.compile("^(/[^:]+):(\\d+):(\\d+): (fatal error|error|warning): (.*)$");
    private static final Pattern OTHER_ERROR = Pattern.compile("^(ERROR: .*|.*: undefined reference to .*)$");

    private KbuildLog() {}

    /**
     * The compiler's messages, in log order without repeats, with file paths passed through {@code original} (which
     * maps a staged copy back to the patch's own file).
     */
    static List<CompilerDiagnostic> diagnostics(String log, Function<Path, Path> original) {
        return log.lines()
                .map(DIAGNOSTIC::matcher)
                .filter(Matcher::matches)
                .map(m -> new CompilerDiagnostic(
                        original.apply(Path.of(m.group(1))),
                        Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)),
                        m.group(4),
                        m.group(5)))
                .distinct()
                .toList();
    }

    /** Errors that are not about a source line, such as modpost's unresolved symbols. */
    static List<String> otherErrors(String log) {
        return log.lines()
                .filter(line -> OTHER_ERROR.matcher(line).matches())
                .distinct()
                .toList();
    }

    /** The last {@code count} lines of the log, for failures that name no line. */
    static String tail(String log, int count) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
