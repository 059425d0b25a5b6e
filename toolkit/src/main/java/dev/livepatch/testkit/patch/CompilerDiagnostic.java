package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * One compiler message about a patch's source, with the path of the patch's own file (not of the staged copy).
 *
 * @param file the source file
 * @param line 1-based line
 * @param column 1-based column
 * @param severity {@code error}, {@code fatal error} or {@code warning}
 * @param message the compiler's text
 */
@API(status = INTERNAL, since = "0.1")
public record CompilerDiagnostic(Path file, int line, int column, String severity, String message) {

    public boolean isError() {
        return !severity.equals("warning");
    }

    /** In the compiler's own form: {@code file:line:column: severity: message}. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + severity + ": " + message;
    }
}
