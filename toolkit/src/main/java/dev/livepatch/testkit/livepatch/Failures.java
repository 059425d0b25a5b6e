package dev.livepatch.testkit.livepatch;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Turns a failed action's output into a {@link LivepatchException} with the kernel's error text and a next step. */
final class Failures {
    private Failures() {}

    enum Action {
        LOAD,
        WRITE_ENABLED,
        WRITE_FORCE,
        WRITE_FILE,
        UNLOAD
    }

    static LivepatchException of(String subject, String command, Action action, ScriptOutput output) {
        String said = output.actionOutput();
        Optional<String> errno = errno(said);
        String problem =
                (said.isEmpty() ? "exit status " + output.value(GuestTag.STATUS).orElse("?") : said)
                        + errno.flatMap(text -> hint(action, text))
                                .map(hint -> "\n" + hint)
                                .orElse("");
        return new LivepatchException(subject, command, problem, errno.orElse(null), output.kernelLog());
    }

    /** The text after the last {@code ": "} of the last line: how insmod, rmmod and shells report an errno. */
    static Optional<String> errno(String toolOutput) {
        List<String> lines = toolOutput.lines().filter(line -> !line.isBlank()).toList();
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String last = lines.get(lines.size() - 1).strip();
        int separator = last.lastIndexOf(": ");
        return separator < 0
                ? Optional.empty()
                : Optional.of(last.substring(separator + 2).strip());
    }

    private static Optional<String> hint(Action action, String errno) {
        String text = errno.toLowerCase(Locale.ROOT);
        return Optional.ofNullable(
                switch (action) {
                    case LOAD ->
                        text.contains("busy")
                                ? "Another patch is in transition (only one at a time: await it first), or another ftrace"
                                        + " user with IPMODIFY holds a function this patch replaces."
                                : text.contains("exists")
                                        ? "A module of that name is already loaded; unload it first."
                                        : text.contains("invalid")
                                                ? "The kernel refused the module: an incompatible klp_state, a bad"
                                                        + " parameter, or a build for another kernel (see the kernel"
                                                        + " log)."
                                                : null;
                    case WRITE_ENABLED ->
                        text.contains("busy")
                                ? "Another patch is in transition; await it first."
                                : text.contains("invalid")
                                        ? "The patch already has that state (a disabled patch cannot be re-enabled;"
                                                + " load its module again)."
                                        : text.contains("no such file")
                                                ? "The patch is gone from /sys/kernel/livepatch (disabled or replaced)."
                                                : null;
                    case WRITE_FORCE ->
                        text.contains("invalid")
                                ? "The patch is not in transition; force() only ends a running transition."
                                : null;
                    case WRITE_FILE ->
                        text.contains("permission denied")
                                ? "The file is read-only (a parameter or attribute whose mode has no write bit)."
                                : text.contains("invalid")
                                        ? "The kernel refused the value (see the attribute's documentation)."
                                        : null;
                    case UNLOAD ->
                        text.contains("in use") || text.contains("temporarily unavailable")
                                ? "The module is still referenced: disable the patch first. The module of a patch"
                                        + " whose unpatching (or replacing) was forced stays until reboot."
                                : null;
                });
    }
}
