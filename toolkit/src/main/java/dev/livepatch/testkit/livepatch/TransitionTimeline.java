package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * How one transition of a patch went, on the guest's clock (the kernel log's time since boot): the number of tasks not
 * yet switched, sampled about every tenth of a second while the toolkit waited; what the livepatch core logged on the
 * way (start, each retry's blocked tasks when {@code klp_try_switch_task}'s debug lines are on, fake-signal rounds,
 * a reversal, forcing, completion); and how it ended.
 *
 * @param patch the patch in transition
 * @param samples tasks not yet switched over time, in time order
 * @param events what the kernel logged about the transition, in time order
 * @param ending how the transition ended, or that it was still stalled when the wait ended
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record TransitionTimeline(String patch, List<Sample> samples, List<Event> events, Ending ending) {
    public TransitionTimeline {
        samples = List.copyOf(samples);
        events = List.copyOf(events);
    }

    /** Tasks not switched yet at one moment. */
    public record Sample(Duration at, int tasksNotSwitched) {}

    /**
     * One thing the livepatch core logged.
     *
     * @param at the kernel log's time
     * @param kind what happened
     * @param detail the kernel's line, or for a retry its blocked tasks, one line each
     */
    public record Event(Duration at, Kind kind, String detail) {}

    public enum Kind {
        STARTED,
        RETRY,
        SIGNALED,
        REVERSED,
        FORCED,
        COMPLETED
    }

    public enum Ending {
        COMPLETED,
        REVERSED,
        FORCED,
        STALLED
    }

    /** How many times the kernel tried again with tasks left behind (seen only with the kernel's debug lines on). */
    public long retries() {
        return events.stream().filter(event -> event.kind() == Kind.RETRY).count();
    }

    /** How many fake-signal rounds the kernel sent to the tasks left behind. */
    public long signalRounds() {
        return events.stream().filter(event -> event.kind() == Kind.SIGNALED).count();
    }

    /** From the transition's start to its completion, when both are in the log. */
    public Optional<Duration> duration() {
        Optional<Duration> start = first(Kind.STARTED);
        Optional<Duration> end = first(Kind.COMPLETED);
        return start.flatMap(from -> end.map(to -> to.minus(from)));
    }

    private Optional<Duration> first(Kind kind) {
        return events.stream()
                .filter(event -> event.kind() == kind)
                .map(Event::at)
                .findFirst();
    }
}
