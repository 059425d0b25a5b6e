package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.livepatch.TransitionTimeline;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes the transitions a test awaited as report entries, {@code livepatch transition <n>} each holding the
 * timeline as one JSON object (times in milliseconds on the guest's clock): the toolkit's reports read them back;
 * other JUnit reports show them as they are.
 */
final class TransitionEntries {
    static final String KEY_PREFIX = "livepatch transition ";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private TransitionEntries() {}

    static void publish(ExtensionContext context, List<TransitionTimeline> transitions) {
        for (int i = 0; i < transitions.size(); i++) {
            context.publishReportEntry(KEY_PREFIX + (i + 1), json(transitions.get(i)));
        }
    }

    static String json(TransitionTimeline timeline) {
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
