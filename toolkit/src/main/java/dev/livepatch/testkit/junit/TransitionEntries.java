package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.livepatch.TransitionTimeline;
import dev.livepatch.testkit.livepatch.TransitionTimelineJson;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Publishes the transitions a test awaited as report entries, {@code livepatch transition <n>} each holding the
 * timeline as one JSON object (times in milliseconds on the guest's clock): the toolkit's reports read them back;
 * other JUnit reports show them as they are.
 */
final class TransitionEntries {
    static final String KEY_PREFIX = "livepatch transition ";

    private TransitionEntries() {}

    static void publish(ExtensionContext context, List<TransitionTimeline> transitions) {
        for (int i = 0; i < transitions.size(); i++) {
            context.publishReportEntry(KEY_PREFIX + (i + 1), json(transitions.get(i)));
        }
    }

    static String json(TransitionTimeline timeline) {
        return TransitionTimelineJson.of(timeline);
    }
}
