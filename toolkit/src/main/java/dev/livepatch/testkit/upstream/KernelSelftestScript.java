package dev.livepatch.testkit.upstream;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.ssh.GuestShell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * One of the kernel's livepatch selftest scripts, run unchanged in the guest, and read back case by case: the
 * scripts print {@code TEST: <name> ... ok}, or {@code not ok} and a diff of the expected and actual kernel log,
 * and stop at the first failure. The cases are known in advance from the script's {@code start_test} lines.
 */
@API(status = INTERNAL, since = "0.1")
public final class KernelSelftestScript {
    /** The exit status of a kselftest that cannot run here. */
    static final int KSFT_SKIP = 4;

    private static final Pattern START_TEST = Pattern.compile("(?m)^\\s*start_test\\s+\"([^\"]+)\"");
    private static final Pattern CASE_LINE = Pattern.compile("(?m)^TEST: (.+?) \\.\\.\\. ");
    private static final Pattern SKIP_LINE = Pattern.compile("(?m)^SKIP: (.*)$");
    /** What GNU timeout returns when it ended the command: TERM was enough, or KILL was needed. */
    private static final List<Integer> ENDED_AT_DEADLINE = List.of(124, 137);

    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(250);
    /** How long a stopped script may take to end: GNU timeout sends KILL 10 s after TERM. */
    private static final Duration ENDING = Duration.ofSeconds(20);

    private static final String STATUS = "@@ exit status @@";
    private static final String CONDITION_FALSE =
            "The script went past this case without running it: a feature it probes first is missing on this kernel.";

    private final String name;
    private final List<String> cases;
    private final String folder;

    private KernelSelftestScript(String name, List<String> cases, String folder) {
        this.name = name;
        this.cases = cases;
        this.folder = folder;
    }

    /** The script {@code name} with source {@code text}, to run from {@code folder} in the guest. */
    static KernelSelftestScript parse(String name, String text, String folder) {
        return new KernelSelftestScript(
                name,
                START_TEST.matcher(text).results().map(match -> match.group(1)).toList(),
                folder);
    }

    public String name() {
        return name;
    }

    /** The cases the script may run, in order; a script runs some only where the kernel has a feature. */
    public List<String> cases() {
        return cases;
    }

    /** How one case ended. */
    public enum Outcome {
        PASSED,
        FAILED,
        SKIPPED
    }

    /** One case's outcome and, unless it passed, why: the kernel log diff, the script's error, the skip reason. */
    public record CaseResult(String name, Outcome outcome, String detail) {}

    /** A whole script's run: each of its cases, its exit status, and whether it was ended at a deadline. */
    public record Result(List<CaseResult> cases, int exitCode, boolean endedAtDeadline) {
        /** Whether the guest may be left with modules loaded or patches applied: anything but a clean end. */
        public boolean leftGuestDirty() {
            return endedAtDeadline || (exitCode != 0 && exitCode != KSFT_SKIP);
        }
    }

    /**
     * Starts the script in the background in its folder of a guest where {@link KernelSelftests#install} has put
     * it; its cases are then read back one by one as it prints them. A case that takes longer than
     * {@code caseDeadline} ends the script, and fails with the kernel log since it began.
     */
    public Run start(GuestShell shell, Duration caseDeadline) {
        Duration scriptDeadline = caseDeadline.multipliedBy(Math.max(1, cases.size()));
        // GNU timeout by path (the root shell is busybox's) ends a script that outlives every case's deadline even
        // if this JVM is gone; its pid is kept so that a case past its deadline can end the script early.
        shell.run(
                "cd " + folder + " && rm -f " + name + ".out " + name + ".status " + name + ".pid && { KDIR=" + folder
                        + " /usr/bin/timeout --kill-after=10 " + scriptDeadline.toSeconds() + " ./" + name + " > "
                        + name + ".out 2>&1 </dev/null & echo $! > " + name + ".pid; wait $!; echo $? > " + name
                        + ".status; } >/dev/null 2>&1 </dev/null &",
                COMMAND);
        return new Run(shell, caseDeadline);
    }

    /** A started script, read back case by case. */
    public final class Run implements AutoCloseable {
        private final GuestShell shell;
        private final Duration caseDeadline;
        private Integer exitCode;
        private boolean endedAtDeadline;
        private String output = "";
        private String kernelLog = "";

        private Run(GuestShell shell, Duration caseDeadline) {
            this.shell = shell;
            this.caseDeadline = caseDeadline;
        }

        /** Waits until the script has shown how case {@code caseName} (one of {@link #cases()}) ended. */
        public CaseResult await(String caseName) {
            try {
                return Deadline.after(caseDeadline)
                        .poll(
                                "case '" + caseName + "' of " + name,
                                POLL,
                                () -> {
                                    look();
                                    return decide(caseName);
                                },
                                () -> output);
            } catch (WaitTimeoutException pastDeadline) {
                endAtDeadline();
                return decide(caseName).orElseThrow();
            }
        }

        /** Waits for the script's end and returns every case, including any its start_test lines did not name. */
        public Result finish() {
            try {
                awaitEnd(caseDeadline);
            } catch (WaitTimeoutException pastDeadline) {
                endAtDeadline();
            }
            return new Result(
                    read(output, exitCode, endedAtDeadline, caseDeadline, kernelLog), exitCode, endedAtDeadline);
        }

        /** Ends the script if it is still running. */
        @Override
        public void close() {
            if (exitCode == null) {
                look();
            }
            if (exitCode == null) {
                endAtDeadline();
            }
        }

        private Optional<CaseResult> decide(String caseName) {
            if (exitCode != null) {
                return read(output, exitCode, endedAtDeadline, caseDeadline, kernelLog).stream()
                        .filter(result -> result.name().equals(caseName))
                        .findFirst();
            }
            List<Printed> printed = printed(output);
            for (int i = 0; i + 1 < printed.size(); i++) {
                if (printed.get(i).name().equals(caseName)) {
                    return Optional.of(caseResult(caseName, printed.get(i).block(), false, caseDeadline, ""));
                }
            }
            List<String> later = cases.subList(cases.indexOf(caseName) + 1, cases.size());
            boolean passedOver = printed.stream().noneMatch(p -> p.name().equals(caseName))
                    && printed.stream().anyMatch(p -> later.contains(p.name()));
            return passedOver
                    ? Optional.of(new CaseResult(caseName, Outcome.SKIPPED, CONDITION_FALSE))
                    : Optional.empty();
        }

        private void look() {
            String seen = shell.run(
                            "cd " + folder + " && cat " + name + ".out; printf '\\n" + STATUS + "\\n'; cat " + name
                                    + ".status 2>/dev/null || true",
                            COMMAND)
                    .stdout();
            int marker = seen.lastIndexOf("\n" + STATUS + "\n");
            output = seen.substring(0, marker);
            String status = seen.substring(marker + STATUS.length() + 2).strip();
            exitCode = status.isEmpty() ? null : Integer.valueOf(status);
            if (exitCode != null && ENDED_AT_DEADLINE.contains(exitCode)) {
                // The script outlived its own deadline in the guest: the same as a case ended here.
                endedAtDeadline = true;
                if (kernelLog.isEmpty()) {
                    kernelLog = shell.exec("dmesg", COMMAND).stdout();
                }
            }
        }

        private void endAtDeadline() {
            endedAtDeadline = true;
            kernelLog = shell.exec("dmesg", COMMAND).stdout();
            shell.exec("kill $(cat " + folder + "/" + name + ".pid)", COMMAND);
            awaitEnd(ENDING);
        }

        private void awaitEnd(Duration limit) {
            Deadline.after(limit)
                    .poll(
                            "the end of the kernel's selftest script " + name,
                            POLL,
                            () -> {
                                look();
                                return Optional.ofNullable(exitCode);
                            },
                            () -> "it printed:\n" + output.strip());
        }
    }

    private record Printed(String name, String block) {}

    /** The cases the script has started, each with what it printed after its name so far. */
    private static List<Printed> printed(String output) {
        Matcher matcher = CASE_LINE.matcher(output);
        List<String> names = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
            spans.add(new int[] {matcher.start(), matcher.end()});
        }
        List<Printed> printed = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : output.length();
            printed.add(new Printed(
                    names.get(i), output.substring(spans.get(i)[1], end).strip()));
        }
        return printed;
    }

    /** Each case's outcome, in the script's order, from what the script printed and how it ended. */
    List<CaseResult> read(String output, int exitCode, boolean endedAtDeadline, Duration deadline, String kernelLog) {
        List<Printed> printed = printed(output);
        boolean timedOut = endedAtDeadline || ENDED_AT_DEADLINE.contains(exitCode);
        Map<String, CaseResult> results = new LinkedHashMap<>();
        for (int i = 0; i < printed.size(); i++) {
            Printed test = printed.get(i);
            boolean last = i == printed.size() - 1;
            results.put(test.name(), caseResult(test.name(), test.block(), last && timedOut, deadline, kernelLog));
        }
        String stopped = printed.isEmpty()
                ? "before its first case"
                : "at '" + printed.get(printed.size() - 1).name() + "'";
        List<CaseResult> ordered = new ArrayList<>();
        for (String planned : cases) {
            CaseResult result = results.remove(planned);
            ordered.add(result != null ? result : notPrinted(planned, output, exitCode, timedOut, deadline, stopped));
        }
        ordered.addAll(results.values());
        return ordered;
    }

    private static CaseResult notPrinted(
            String name, String output, int exitCode, boolean timedOut, Duration deadline, String stopped) {
        if (exitCode == KSFT_SKIP) {
            return new CaseResult(name, Outcome.SKIPPED, skipReason(output));
        }
        if (exitCode == 0) {
            return new CaseResult(name, Outcome.SKIPPED, CONDITION_FALSE);
        }
        if (timedOut && stopped.startsWith("before")) {
            return new CaseResult(
                    name,
                    Outcome.FAILED,
                    "The script did not reach its first case within " + Durations.format(deadline)
                            + " and was ended. It printed:\n" + output.strip());
        }
        return new CaseResult(
                name, Outcome.FAILED, "Not run: the script stopped " + stopped + " (exit status " + exitCode + ").");
    }

    private static CaseResult caseResult(
            String name, String block, boolean timedOut, Duration deadline, String kernelLog) {
        if (timedOut) {
            return new CaseResult(
                    name,
                    Outcome.FAILED,
                    "Did not finish within " + Durations.format(deadline) + " and was ended"
                            + (block.isEmpty() ? "" : " after printing:\n" + block) + "\nThe kernel log since the case"
                            + " began:\n" + logSince(kernelLog, name));
        }
        if (block.equals("ok") || block.startsWith("ok\n")) {
            return new CaseResult(name, Outcome.PASSED, "");
        }
        return new CaseResult(
                name,
                Outcome.FAILED,
                block.startsWith("not ok") ? block.substring(6).strip() : block);
    }

    private static String logSince(String kernelLog, String name) {
        String marker = "===== TEST: " + name + " =====";
        int at = kernelLog.lastIndexOf(marker);
        return (at < 0 ? kernelLog : kernelLog.substring(at)).strip();
    }

    private static String skipReason(String output) {
        Matcher skip = SKIP_LINE.matcher(output);
        return skip.find()
                ? "The kernel's script skipped it: " + skip.group(1)
                : "The kernel's script skipped it (exit status 4): " + output.strip();
    }
}
