package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.livepatch.TransitionTimeline.Ending;
import dev.livepatch.testkit.livepatch.TransitionTimeline.Event;
import dev.livepatch.testkit.livepatch.TransitionTimeline.Kind;
import dev.livepatch.testkit.livepatch.TransitionTimeline.Sample;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The output of {@code lpt_await} and the kernel's log lines in the order kernel/livepatch/transition.c prints them. */
class TransitionTimelineTest {
    private static ScriptOutput output(String... lines) {
        return ScriptOutput.parse(String.join("\n", lines));
    }

    private static Duration at(String seconds) {
        return Duration.ofNanos(Math.round(Double.parseDouble(seconds) * 1_000_000_000L));
    }

    @Test
    void aStalledTransitionThatWasReversedRecordsSamplesRetriesAndSignals() {
        TransitionTimeline timeline = TransitionTimelines.read(
                "lpt_callbacks",
                output(
                        "@@sample 0 3",
                        "@@sample 100 2",
                        "@@sample 1200 1",
                        "@@sample 2500 0",
                        "@@seen removed",
                        "@@status 0",
                        "@@kernel-log",
                        "[   12.000000] % insmod lpt_callbacks.ko",
                        "[   12.010000] livepatch: enabling patch 'lpt_callbacks'",
                        "[   12.020000] livepatch: 'lpt_callbacks': starting patching transition",
                        "[   12.030000] testkit: awaiting lpt_callbacks",
                        "[   13.040000] livepatch: klp_try_switch_task: kworker/0:1:35 is sleeping on function"
                                + " lpt_busy_work_func",
                        "[   13.040100] livepatch: klp_try_switch_task: sh:80 is running",
                        "[   14.050000] livepatch: klp_try_switch_task: kworker/0:1:35 is sleeping on function"
                                + " lpt_busy_work_func",
                        "[   14.060000] livepatch: signaling remaining tasks",
                        "[   14.100000] livepatch: 'lpt_callbacks': reversing transition from patching",
                        "[   14.400000] livepatch: 'lpt_callbacks': completing unpatching transition",
                        "[   14.410000] livepatch: 'lpt_callbacks': unpatching complete"),
                true);

        assertThat(timeline.samples())
                .containsExactly(
                        new Sample(at("12.03"), 3),
                        new Sample(at("12.13"), 2),
                        new Sample(at("13.23"), 1),
                        new Sample(at("14.53"), 0));
        assertThat(timeline.events())
                .extracting(Event::kind)
                .containsExactly(Kind.STARTED, Kind.RETRY, Kind.RETRY, Kind.SIGNALED, Kind.REVERSED, Kind.COMPLETED);
        assertThat(timeline.events().get(1))
                .isEqualTo(new Event(
                        at("13.04"),
                        Kind.RETRY,
                        "kworker/0:1:35 is sleeping on function lpt_busy_work_func\nsh:80 is running"));
        assertThat(timeline.retries()).isEqualTo(2);
        assertThat(timeline.signalRounds()).isEqualTo(1);
        assertThat(timeline.duration()).contains(at("2.39"));
        assertThat(timeline.ending()).isEqualTo(Ending.REVERSED);
    }

    @Test
    void aWaitThatGaveUpLeavesTheTransitionStalled() {
        TransitionTimeline timeline = TransitionTimelines.read(
                "lpt_callbacks",
                output(
                        "@@sample 0 1",
                        "@@sample 3000 1",
                        "@@seen transition=1 enabled=1",
                        "@@status timeout",
                        "@@kernel-log",
                        "[    5.000000] livepatch: 'lpt_callbacks': starting patching transition",
                        "[    5.100000] testkit: awaiting lpt_callbacks"),
                false);

        assertThat(timeline.ending()).isEqualTo(Ending.STALLED);
        assertThat(timeline.samples()).extracting(Sample::tasksNotSwitched).containsExactly(1, 1);
        assertThat(timeline.duration()).isEmpty();
    }

    @Test
    void aForcedTransitionEndsForcedAndOtherPatchesLinesAreNotItsOwn() {
        TransitionTimeline timeline = TransitionTimelines.read(
                "lpt_b",
                KernelLogParser.parse(String.join(
                        "\n",
                        "[    7.000000] livepatch: 'lpt_a': starting patching transition",
                        "[    7.100000] livepatch: 'lpt_b': starting patching transition",
                        "[    9.000000] livepatch: forcing remaining tasks to the patched state",
                        "[    9.100000] livepatch: 'lpt_b': patching complete")));

        assertThat(timeline.events())
                .extracting(Event::kind)
                .containsExactly(Kind.STARTED, Kind.FORCED, Kind.COMPLETED);
        assertThat(timeline.events().get(0).at()).isEqualTo(at("7.1"));
        assertThat(timeline.ending()).isEqualTo(Ending.FORCED);
        assertThat(timeline.samples()).isEmpty();
    }
}
