package dev.livepatch.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.livepatch.TransitionTimeline;
import dev.livepatch.testkit.livepatch.TransitionTimeline.Ending;
import dev.livepatch.testkit.livepatch.TransitionTimeline.Event;
import dev.livepatch.testkit.livepatch.TransitionTimeline.Kind;
import dev.livepatch.testkit.livepatch.TransitionTimeline.Sample;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransitionEntriesTest {
    @Test
    void aTimelineIsOneJsonObjectWithTimesInMillisecondsOnTheGuestsClock() {
        TransitionTimeline timeline = new TransitionTimeline(
                "lpt_callbacks",
                List.of(new Sample(Duration.ofMillis(12030), 2), new Sample(Duration.ofMillis(13130), 0)),
                List.of(
                        new Event(Duration.ofMillis(12020), Kind.STARTED, "livepatch: 'lpt_callbacks': starting"),
                        new Event(Duration.ofMillis(13040), Kind.RETRY, "sh:80 is running\nkworker/0:1:35 \"x\""),
                        new Event(Duration.ofMillis(13500), Kind.COMPLETED, "livepatch: done")),
                Ending.COMPLETED);

        assertThat(TransitionEntries.json(timeline))
                .isEqualTo("{\"patch\":\"lpt_callbacks\",\"ending\":\"completed\",\"retries\":1,\"signalRounds\":0,"
                        + "\"durationMs\":1480,\"samples\":[[12030.0,2],[13130.0,0]],\"events\":["
                        + "{\"atMs\":12020.0,\"kind\":\"started\",\"detail\":\"livepatch: 'lpt_callbacks': starting\"},"
                        + "{\"atMs\":13040.0,\"kind\":\"retry\",\"detail\":\"sh:80 is running\\nkworker/0:1:35"
                        + " \\\"x\\\"\"},"
                        + "{\"atMs\":13500.0,\"kind\":\"completed\",\"detail\":\"livepatch: done\"}]}");
    }
}
