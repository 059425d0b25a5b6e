package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** A slice of the kernel log, oldest line first; an operation's slice starts with its {@code % ...} marker line. */
@API(status = STABLE, since = "0.1")
public record KernelLog(List<KernelMessage> messages) {
    private static final Pattern TROUBLE = Pattern.compile("WARNING:|\\bBUG\\b|\\bOops\\b|possible circular locking"
            + "|possible recursive locking|inconsistent lock state|rcu.*detected stall|blocked for more than"
            + "|unreliable stack|soft lockup|hard LOCKUP|general protection fault|Call Trace:");
    private static final String RETRY = "livepatch: klp_try_switch_task: ";

    public KernelLog {
        messages = List.copyOf(messages);
    }

    public static KernelLog empty() {
        return new KernelLog(List.of());
    }

    /** The message texts, without timestamps. */
    public List<String> lines() {
        return messages.stream().map(KernelMessage::text).toList();
    }

    public boolean contains(String fragment) {
        return messages.stream().anyMatch(message -> message.text().contains(fragment));
    }

    public Optional<KernelMessage> first(String fragment) {
        return messages.stream()
                .filter(message -> message.text().contains(fragment))
                .findFirst();
    }

    /**
     * The lines that say the kernel is in trouble: a {@code WARNING:}, {@code BUG}, {@code Oops}, lockdep report, RCU
     * stall, hung task, soft or hard lockup, general protection fault, call trace, or an unreliable stack. Not the
     * livepatch core's own retry lines ({@code livepatch: klp_try_switch_task: <task> has an unreliable stack}, its
     * dynamic debug, on while task switching is traced): they name a task it tries again a moment later, and a
     * transition that never completes fails on its own.
     */
    public List<String> troubleLines() {
        return lines().stream()
                .filter(line -> TROUBLE.matcher(line).find())
                .filter(line -> !line.startsWith(RETRY))
                .toList();
    }

    /**
     * The lines the kernel's own selftests compare: {@code % ...} markers and {@code livepatch:} messages, without
     * the taint notices whose wording depends on how the module was built.
     */
    public List<String> livepatchLines() {
        return lines().stream()
                .filter(line -> line.startsWith("% ") || line.contains("livepatch:"))
                .filter(line -> !line.matches(".*(tainting|taints) kernel.*"))
                .toList();
    }

    /**
     * The messages from the last one whose text is {@code marker} (such as {@code % rmmod lpt_a}) on, as the
     * operations slice the log; empty when the marker is not in this log.
     */
    public KernelLog since(String marker) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).text().equals(marker)) {
                return new KernelLog(messages.subList(i, messages.size()));
            }
        }
        return empty();
    }

    /** The kernel time from the first message containing {@code from} to the next one containing {@code to}. */
    public Optional<Duration> timeBetween(String from, String to) {
        int start = indexOf(from, 0);
        if (start < 0) {
            return Optional.empty();
        }
        int end = indexOf(to, start + 1);
        if (end < 0) {
            return Optional.empty();
        }
        Optional<Duration> begin = messages.get(start).timestamp();
        Optional<Duration> finish = messages.get(end).timestamp();
        return begin.flatMap(b -> finish.map(f -> f.minus(b)));
    }

    private int indexOf(String fragment, int from) {
        for (int i = from; i < messages.size(); i++) {
            if (messages.get(i).text().contains(fragment)) {
                return i;
            }
        }
        return -1;
    }

    /** The log as {@code dmesg} prints it. */
    public String text() {
        return messages.stream().map(KernelMessage::toString).collect(Collectors.joining("\n"));
    }

    @Override
    public String toString() {
        return text();
    }
}
