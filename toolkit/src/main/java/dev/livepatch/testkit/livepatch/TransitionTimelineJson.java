package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import java.util.Locale;
import org.apiguardian.api.API;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A {@link TransitionTimeline} as the reports keep it: one JSON object, times in milliseconds on the guest's clock,
 * samples as {@code [ms, tasks not switched]} pairs.
 */
@API(status = INTERNAL, since = "0.2")
public final class TransitionTimelineJson {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TransitionTimelineJson() {}

    public static String of(TransitionTimeline timeline) {
        ObjectNode node = JSON.createObjectNode();
        node.put("patch", timeline.patch());
        node.put("ending", timeline.ending().name().toLowerCase(Locale.ROOT));
        node.put("retries", timeline.retries());
        node.put("signalRounds", timeline.signalRounds());
        timeline.duration()
                .ifPresentOrElse(d -> node.put("durationMs", d.toMillis()), () -> node.putNull("durationMs"));
        ArrayNode samples = node.putArray("samples");
        timeline.samples()
                .forEach(sample -> samples.addArray().add(millis(sample.at())).add(sample.tasksNotSwitched()));
        ArrayNode events = node.putArray("events");
        timeline.events()
                .forEach(event -> events.addObject()
                        .put("atMs", millis(event.at()))
                        .put("kind", event.kind().name().toLowerCase(Locale.ROOT))
                        .put("detail", event.detail()));
        return JSON.writeValueAsString(node);
    }

    private static double millis(Duration at) {
        return at.toNanos() / 1_000_000.0;
    }
}
