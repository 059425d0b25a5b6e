package dev.livepatch.testkit.patch;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/** A module could not be built, or the built module is not what the kernel expects. */
@API(status = STABLE, since = "0.1")
public class ModuleBuildException extends TestkitException {
    private final transient List<CompilerDiagnostic> diagnostics;
    private final transient Path log;

    public ModuleBuildException(String message) {
        this(message, List.of(), null);
    }

    public ModuleBuildException(String message, Throwable cause) {
        super(message, cause);
        this.diagnostics = List.of();
        this.log = null;
    }

    /** A failed build: the compiler's messages about the patches' sources and the build's full log. */
    public ModuleBuildException(String message, List<CompilerDiagnostic> diagnostics, Path log) {
        super(message);
        this.diagnostics = List.copyOf(diagnostics);
        this.log = log;
    }

    /** The compiler's errors and warnings, with paths of the patches' own files; empty when none were reported. */
    public List<CompilerDiagnostic> diagnostics() {
        return diagnostics;
    }

    /** The full kbuild log of the failed build, when kbuild ran. */
    public Optional<Path> log() {
        return Optional.ofNullable(log);
    }
}
