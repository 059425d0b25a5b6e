package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.CompilerDiagnostic;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.PatchSource;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What a finished kbuild run's log means for the user: a failure as a {@link ModuleBuildException} naming the patches,
 * their own source lines and the log; warnings about the patches' sources.
 */
final class BuildFailures {
    private static final int TAIL_LINES = 20;

    private final Kernel kernel;
    private final String backend;
    private final List<PatchSource> modules;
    private final KbuildProject project;
    private final Path logFile;

    BuildFailures(Kernel kernel, String backend, List<PatchSource> modules, KbuildProject project, Path logFile) {
        this.kernel = kernel;
        this.backend = backend;
        this.modules = modules;
        this.project = project;
        this.logFile = logFile;
    }

    /** kbuild exited non-zero: the compiler's errors about the patches' own files, else the log's last lines. */
    ModuleBuildException failed(String log, int exitCode) {
        List<CompilerDiagnostic> diagnostics = KbuildLog.diagnostics(log, project::original);
        List<CompilerDiagnostic> errors =
                diagnostics.stream().filter(CompilerDiagnostic::isError).toList();
        List<String> otherErrors = KbuildLog.otherErrors(log).stream()
                .map(project::withOriginalPaths)
                .toList();
        List<String> culprits = modules.stream()
                .filter(module -> errors.stream().anyMatch(error -> isAbout(error, module))
                        || otherErrors.stream()
                                .anyMatch(
                                        line -> line.contains(module.directory().toString())))
                .map(PatchSource::name)
                .toList();
        List<String> details = Stream.concat(errors.stream().map(CompilerDiagnostic::toString), otherErrors.stream())
                .toList();
        String message = "Could not build " + String.join(", ", culprits.isEmpty() ? names() : culprits)
                + " for kernel " + kernel.release() + " (" + backend + " kbuild, make exit status " + exitCode + ")"
                + (details.isEmpty()
                        ? "; the log ends with:\n" + project.withOriginalPaths(KbuildLog.tail(log, TAIL_LINES))
                        : ":\n" + String.join("\n", details))
                + "\nFull log: " + logFile;
        return new ModuleBuildException(message, diagnostics, logFile);
    }

    /** The compiler's warnings about the patches' own files, in the compiler's form. */
    List<String> warnings(String log) {
        return KbuildLog.diagnostics(log, project::original).stream()
                .filter(diagnostic -> !diagnostic.isError())
                .map(CompilerDiagnostic::toString)
                .toList();
    }

    /** kbuild succeeded but one module file is not where it should be. */
    ModuleBuildException missingModule(PatchSource source, Path expected, String log) {
        return new ModuleBuildException(
                "kbuild succeeded but did not produce " + expected.getFileName() + " for patch " + source.name()
                        + " (looked for " + expected + "); the log ends with:\n"
                        + project.withOriginalPaths(KbuildLog.tail(log, TAIL_LINES)) + "\nFull log: " + logFile,
                List.of(),
                logFile);
    }

    private boolean isAbout(CompilerDiagnostic error, PatchSource module) {
        return error.file().startsWith(module.directory())
                || module.includes().stream()
                        .anyMatch(include -> error.file().startsWith(module.includedDirectory(include)));
    }

    private List<String> names() {
        return modules.stream().map(PatchSource::name).collect(Collectors.toList());
    }
}
