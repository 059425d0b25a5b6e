package dev.livepatch.testkit.source;

import dev.livepatch.testkit.process.ExecResult;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Says why klp-build failed and what to do, from its {@code error: klp-build: ...} line and what came before it. */
final class KlpBuildFailure {
    private static final Pattern ERROR =
            Pattern.compile("^(?:\\e\\[[0-9;]*m)?error(?:\\e\\[[0-9;]*m)?: klp-build: (.*)$");
    private static final Pattern STEP =
            Pattern.compile("^(?:\\e\\[[0-9;]*m)?(Validating|Fixing|Building|Copying|Generating|Diffing|Finding) .*$");
    private static final Pattern UNSUPPORTED = Pattern.compile("^.*: unsupported patch to (\\S+)$");

    private KlpBuildFailure() {}

    static String explain(ExecResult result, Path diff, SourceDiff changes, String tree, Path log) {
        List<String> lines = (result.stdout() + "\n" + result.stderr()).lines().toList();
        int errorLine = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (ERROR.matcher(lines.get(i)).matches()) {
                errorLine = i;
            }
        }
        String fullLog = "\nklp-build's whole output: " + log;
        if (errorLine < 0) {
            return "klp-build failed on " + diff + " (exit status " + result.exitCode() + "):\n" + result.outputTail(25)
                    + fullLog;
        }
        Matcher error = ERROR.matcher(lines.get(errorLine));
        error.matches();
        String reason = error.group(1);
        Matcher unsupported = UNSUPPORTED.matcher(reason);
        if (reason.endsWith(" did not apply")) {
            return "The diff " + diff + " does not apply to " + tree + ":\n"
                    + String.join("\n", before(lines, errorLine, 30))
                    + "\nMake it against this tree's sources (e.g. with 'git diff' in the tree), then build again."
                    + fullLog;
        }
        if (reason.equals("no changes detected")) {
            return "klp-build found nothing to livepatch in " + diff + ": no object built from "
                    + String.join(", ", changes.paths()) + " changed. The diff changes only comments, or code that"
                    + " this configuration compiles out (under an #if it leaves unset)." + fullLog;
        }
        if (unsupported.matches()) {
            return "klp-build cannot livepatch " + unsupported.group(1) + ", which " + diff + " changes: it refuses"
                    + " lib/, vdso and real-mode code and assembly (.S) files. Move the fix into a function of a"
                    + " file it can patch." + fullLog;
        }
        return "klp-build failed on " + diff + ": " + reason + "\n" + String.join("\n", before(lines, errorLine, 20))
                + fullLog;
    }

    /** Up to {@code count} lines before {@code end}, without klp-build's own step headings. */
    private static List<String> before(List<String> lines, int end, int count) {
        return lines.subList(Math.max(0, end - count), end).stream()
                .filter(line -> !line.isBlank() && !STEP.matcher(line).matches())
                .toList();
    }
}
