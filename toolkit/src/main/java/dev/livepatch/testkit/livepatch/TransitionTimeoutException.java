package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.lifecycle.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/** A patch stayed in transition past the deadline; names the tasks that kept it there. */
@API(status = STABLE, since = "0.1")
public class TransitionTimeoutException extends LivepatchException {
    private final Duration limit;
    private final String lastSeen;
    private final transient List<Blocker> blockers;
    private final transient TransitionTimeline timeline;

    public TransitionTimeoutException(
            String patch, String awaited, Duration limit, String lastSeen, List<Blocker> blockers, KernelLog log) {
        this(patch, awaited, limit, lastSeen, blockers, log, null);
    }

    /** @param timeline how the transition went up to the deadline */
    @API(status = EXPERIMENTAL, since = "0.2")
    public TransitionTimeoutException(
            String patch,
            String awaited,
            Duration limit,
            String lastSeen,
            List<Blocker> blockers,
            KernelLog log,
            TransitionTimeline timeline) {
        super(message(awaited, limit, lastSeen, blockers), patch, "wait for " + awaited, log);
        this.limit = limit;
        this.lastSeen = lastSeen;
        this.blockers = List.copyOf(blockers);
        this.timeline = timeline;
    }

    /** How the transition went until the wait gave up: its samples, the kernel's retries and signals. */
    @API(status = EXPERIMENTAL, since = "0.2")
    public Optional<TransitionTimeline> timeline() {
        return Optional.ofNullable(timeline);
    }

    private static String message(String awaited, Duration limit, String lastSeen, List<Blocker> blockers) {
        String tasks = blockers.isEmpty()
                ? "no task is behind (the kernel retries about once a second)"
                : blockers.size() + " task(s) not switched yet:\n  "
                        + String.join(
                                "\n  ", blockers.stream().map(Blocker::describe).toList());
        return "Timed out waiting for " + awaited + " after "
                + Durations.format(limit) + "; last seen: " + lastSeen + "; " + tasks
                + "\nA transition can stall forever: reverse() or force() ends it.";
    }

    public Duration limit() {
        return limit;
    }

    public String lastSeen() {
        return lastSeen;
    }

    public List<Blocker> blockers() {
        return blockers;
    }
}
