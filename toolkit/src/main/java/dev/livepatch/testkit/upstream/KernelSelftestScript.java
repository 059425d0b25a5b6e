package dev.livepatch.testkit.upstream;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    private static final Duration AFTER_DEADLINE = Duration.ofSeconds(30);

    private final String name;
    private final List<String> cases;

    private KernelSelftestScript(String name, List<String> cases) {
        this.name = name;
        this.cases = cases;
    }

    static KernelSelftestScript parse(String name, String text) {
        return new KernelSelftestScript(
                name,
                START_TEST.matcher(text).results().map(match -> match.group(1)).toList());
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

    /** A whole script's run: each of its cases, its exit status, how long it took and what it printed. */
    public record Result(String script, List<CaseResult> cases, int exitCode, Duration duration, String output) {
        public long passed() {
            return cases.stream().filter(c -> c.outcome() == Outcome.PASSED).count();
        }

        /** Whether the guest may be left with modules loaded or patches applied: anything but a clean pass. */
        public boolean leftGuestDirty() {
            return exitCode != 0 && exitCode != KSFT_SKIP;
        }
    }

    /**
     * Runs the script in {@link KernelSelftests#REMOTE_DIR} of a guest where {@link KernelSelftests#install} has put
     * it, ends it at {@code deadline} (the case then running fails with the kernel log since it began), and reads
     * back each case.
     */
    public Result run(GuestShell shell, Duration deadline) {
        long seconds = Math.max(1, deadline.toSeconds());
        // GNU timeout by path (the root shell is busybox's): TERM lets the script's exit trap restore the tracing
        // and debug settings, KILL follows if it does not end.
        String command = "cd " + KernelSelftests.REMOTE_DIR + " && KDIR=" + KernelSelftests.REMOTE_DIR
                + " /usr/bin/timeout --kill-after=10 " + seconds + " ./" + name + " 2>&1";
        ExecResult result = shell.exec(command, deadline.plus(AFTER_DEADLINE));
        String kernelLog = ENDED_AT_DEADLINE.contains(result.exitCode())
                ? shell.exec("dmesg", AFTER_DEADLINE).stdout()
                : "";
        return new Result(
                name,
                read(result.stdout(), result.exitCode(), deadline, kernelLog),
                result.exitCode(),
                result.duration(),
                result.stdout());
    }

    /** Each case's outcome, in the script's order, from what the script printed and how it ended. */
    List<CaseResult> read(String output, int exitCode, Duration deadline, String kernelLog) {
        Map<String, CaseResult> printed = new LinkedHashMap<>();
        Matcher matcher = CASE_LINE.matcher(output);
        List<String> names = new ArrayList<>();
        List<int[]> spans = new ArrayList<>();
        while (matcher.find()) {
            names.add(matcher.group(1));
            spans.add(new int[] {matcher.start(), matcher.end()});
        }
        boolean timedOut = ENDED_AT_DEADLINE.contains(exitCode);
        for (int i = 0; i < names.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : output.length();
            String block = output.substring(spans.get(i)[1], end).strip();
            boolean last = i == names.size() - 1;
            printed.put(names.get(i), caseResult(names.get(i), block, last && timedOut, deadline, kernelLog));
        }
        String stopped = names.isEmpty() ? "before its first case" : "at '" + names.get(names.size() - 1) + "'";
        List<CaseResult> results = new ArrayList<>();
        for (String planned : cases) {
            CaseResult result = printed.remove(planned);
            results.add(result != null ? result : notPrinted(planned, output, exitCode, timedOut, deadline, stopped));
        }
        results.addAll(printed.values());
        return results;
    }

    private static CaseResult notPrinted(
            String name, String output, int exitCode, boolean timedOut, Duration deadline, String stopped) {
        if (exitCode == KSFT_SKIP) {
            return new CaseResult(name, Outcome.SKIPPED, skipReason(output));
        }
        if (exitCode == 0) {
            return new CaseResult(
                    name,
                    Outcome.SKIPPED,
                    "The script passed without running this case: a feature it probes first is missing on this"
                            + " kernel.");
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
