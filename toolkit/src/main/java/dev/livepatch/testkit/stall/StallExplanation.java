package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.livepatch.Blocker;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Turns a {@link StallReport} into the text a kernel developer reads: which task blocks, why the kernel says it
 * could not switch it, and where in its stack the function the patch changes sits.
 */
@API(status = INTERNAL, since = "0.1")
public final class StallExplanation {
    private static final Pattern SLEEPING_ON = Pattern.compile("is sleeping on function (\\S+)");
    private static final Pattern FRAME = Pattern.compile("^(?:\\[<[0-9a-fx]+>\\]\\s*)?([^+\\s]+)");

    private StallExplanation() {}

    public static String of(StallReport report) {
        StallScenario scenario = report.scenario();
        String patch = scenario.patch().name();
        List<String> lines = new ArrayList<>();
        if (!report.stalled()) {
            lines.add(patch + ": the patching transition finished in "
                    + Durations.format(report.completedIn().orElseThrow()) + "; nothing held it up within "
                    + Durations.format(scenario.limit()) + ".");
            return String.join("\n", lines) + "\n";
        }
        lines.add(patch + " stalled: its patching transition had not finished after "
                + Durations.format(scenario.limit()) + ".");
        changes(report).ifPresent(lines::add);
        if (report.blockers().isEmpty()) {
            lines.add("No task was left behind when the blockers were read: the transition was about to finish, or"
                    + " the kernel had not retried yet (it retries about once a second).");
        } else {
            lines.add(
                    report.blockers().size() == 1
                            ? "1 task has not switched:"
                            : report.blockers().size() + " tasks have not switched:");
            for (Blocker blocker : report.blockers()) {
                describe(blocker, report, lines);
            }
        }
        report.ending().ifPresent(ending -> lines.add("Then " + ending));
        if (report.taint().isTainted()) {
            lines.add("Kernel taint: " + report.taint().describe());
        }
        return String.join("\n", lines) + "\n";
    }

    /** e.g. {@code It changes lpt_busy_work_func (in lpt_busy), cmdline_proc_show (in vmlinux).} */
    private static Optional<String> changes(StallReport report) {
        List<String> functions = report.objects().stream()
                .flatMap(object -> object.functions().stream()
                        .map(function -> function.name()
                                + (function.sympos() > 1 ? "," + function.sympos() : "")
                                + " (in " + object.name() + ")"))
                .toList();
        return functions.isEmpty() ? Optional.empty() : Optional.of("It changes " + String.join(", ", functions) + ".");
    }

    private static void describe(Blocker blocker, StallReport report, List<String> lines) {
        Optional<String> sleepingIn =
                blocker.reason().map(SLEEPING_ON::matcher).filter(Matcher::find).map(matcher -> matcher.group(1));
        lines.add("  " + blocker.comm() + " (pid " + blocker.pid() + ", patch_state " + blocker.patchState() + "): "
                + blocker.reason().orElse("no reason logged by the kernel"));
        List<String> stack = blocker.stack();
        for (int i = 0; i < stack.size(); i++) {
            String frame = stack.get(i).replaceFirst("^\\[<[0-9a-fx]+>\\]\\s*", "");
            String function = functionOf(stack.get(i));
            boolean blocking = sleepingIn.map(function::equals).orElse(false) || report.patches(function);
            lines.add(String.format(
                    "   %s%2d  %s%s",
                    blocking ? ">" : " ", i, frame, blocking ? "   <- " + why(function, report) : ""));
        }
        hint(blocker, sleepingIn).ifPresent(hint -> lines.add("    " + hint));
    }

    private static String why(String function, StallReport report) {
        return report.patches(function)
                ? report.scenario().patch().name() + " changes this function"
                : "the kernel names this function";
    }

    private static Optional<String> hint(Blocker blocker, Optional<String> sleepingIn) {
        if (sleepingIn.isPresent()) {
            return Optional.of("A task cannot switch while a function the patch changes is on its stack: this one"
                    + " switches when it leaves " + sleepingIn.get() + ".");
        }
        String reason = blocker.reason().orElse("");
        if (blocker.pid() == 0) {
            return Optional.of("An idle task, which /proc does not list (so no stack here): it switches itself when its"
                    + " CPU next goes idle, which a CPU kept busy never does, or at a retry whose walk of its stack"
                    + " succeeds.");
        }
        if (reason.contains("is running")) {
            return Optional.of("It was running when the kernel looked; it switches at its next return to user"
                    + " space, or when it sleeps outside the patched functions.");
        }
        if (reason.contains("unreliable stack")) {
            return Optional.of("The kernel could not walk its stack reliably (an interrupt or exception frame on it,"
                    + " where this architecture's reliable unwinder stops); it switches at its next return to user"
                    + " space, or when it sleeps of its own accord with no patched function on its stack.");
        }
        return Optional.empty();
    }

    /** The function of a {@code /proc/<pid>/stack} frame such as {@code [<0>] msleep+0x2d/0x40}. */
    static String functionOf(String frame) {
        Matcher matcher = FRAME.matcher(frame.strip());
        return matcher.find() ? matcher.group(1) : frame.strip();
    }
}
