package dev.livepatch.testkit.livepatch;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a transition's timeline from what {@code lpt_await} printed: its samples and the kernel log slice. */
final class TransitionTimelines {
    static final String AWAITING = "testkit: awaiting ";

    /** The value of a {@link GuestTag#SAMPLE} line: milliseconds since the wait began, and tasks not switched. */
    private static final Pattern SAMPLE = Pattern.compile("^(\\d+) (\\d+)$");

    private static final Pattern BLOCKED =
            Pattern.compile("^livepatch: \\w+: (\\S+:\\d+ (?:is running|has an unreliable stack|is sleeping on .*))$");
    /** klp_try_complete_transition retries once a second: blocked-task lines closer than this are one round. */
    private static final Duration ROUND = Duration.ofMillis(300);

    private TransitionTimelines() {}

    static TransitionTimeline read(String patch, ScriptOutput output, boolean over) {
        KernelLog log = output.kernelLog();
        List<TransitionTimeline.Sample> samples = new ArrayList<>();
        Optional<Duration> start = log.messages().stream()
                .filter(message -> message.text().equals(AWAITING + patch))
                .reduce((first, second) -> second)
                .flatMap(KernelMessage::timestamp);
        for (String value : output.values(GuestTag.SAMPLE)) {
            Matcher sample = SAMPLE.matcher(value);
            if (sample.matches() && start.isPresent()) {
                samples.add(new TransitionTimeline.Sample(
                        start.get().plus(GuestScripts.time(sample.group(1))), Integer.parseInt(sample.group(2))));
            }
        }
        List<TransitionTimeline.Event> events = events(patch, log);
        return new TransitionTimeline(patch, samples, events, ending(events, over));
    }

    /** A transition that was over when its operation returned: its log, without samples. */
    static TransitionTimeline read(String patch, KernelLog log) {
        List<TransitionTimeline.Event> events = events(patch, log);
        return new TransitionTimeline(patch, List.of(), events, ending(events, true));
    }

    private static List<TransitionTimeline.Event> events(String patch, KernelLog log) {
        List<TransitionTimeline.Event> events = new ArrayList<>();
        String quoted = "livepatch: '" + patch + "': ";
        Duration roundAt = null;
        List<String> blocked = new ArrayList<>();
        for (KernelMessage message : log.messages()) {
            if (message.timestamp().isEmpty()) {
                continue;
            }
            Duration at = message.timestamp().get();
            String text = message.text();
            Matcher blocker = BLOCKED.matcher(text);
            if (blocker.matches()) {
                if (roundAt != null && at.minus(roundAt).compareTo(ROUND) > 0) {
                    events.add(new TransitionTimeline.Event(
                            roundAt, TransitionTimeline.Kind.RETRY, String.join("\n", blocked)));
                    blocked.clear();
                    roundAt = null;
                }
                if (roundAt == null) {
                    roundAt = at;
                }
                blocked.add(blocker.group(1));
                continue;
            }
            kind(text, quoted).ifPresent(kind -> events.add(new TransitionTimeline.Event(at, kind, text)));
        }
        if (roundAt != null) {
            events.add(
                    new TransitionTimeline.Event(roundAt, TransitionTimeline.Kind.RETRY, String.join("\n", blocked)));
        }
        events.sort((a, b) -> a.at().compareTo(b.at()));
        return events;
    }

    private static Optional<TransitionTimeline.Kind> kind(String text, String quoted) {
        if (text.startsWith(quoted + "starting ") && text.endsWith(" transition")) {
            return Optional.of(TransitionTimeline.Kind.STARTED);
        }
        if (text.startsWith(quoted + "reversing transition")) {
            return Optional.of(TransitionTimeline.Kind.REVERSED);
        }
        if (text.startsWith(quoted) && text.endsWith("patching complete")) {
            return Optional.of(TransitionTimeline.Kind.COMPLETED);
        }
        if (text.equals("livepatch: signaling remaining tasks")) {
            return Optional.of(TransitionTimeline.Kind.SIGNALED);
        }
        if (text.startsWith("livepatch: forcing remaining tasks")) {
            return Optional.of(TransitionTimeline.Kind.FORCED);
        }
        return Optional.empty();
    }

    private static TransitionTimeline.Ending ending(List<TransitionTimeline.Event> events, boolean over) {
        if (!over) {
            return TransitionTimeline.Ending.STALLED;
        }
        if (events.stream().anyMatch(event -> event.kind() == TransitionTimeline.Kind.FORCED)) {
            return TransitionTimeline.Ending.FORCED;
        }
        if (events.stream().anyMatch(event -> event.kind() == TransitionTimeline.Kind.REVERSED)) {
            return TransitionTimeline.Ending.REVERSED;
        }
        return TransitionTimeline.Ending.COMPLETED;
    }
}
