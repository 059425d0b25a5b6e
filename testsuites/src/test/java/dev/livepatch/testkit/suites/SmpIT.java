package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThatGuestFile;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.livepatch.Blocker;
import dev.livepatch.testkit.livepatch.KernelMessage;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Transitions on two CPUs, where they stop being instant: the kernel retries once a second until every task
 * has switched, and a task sleeping in a patched function holds the transition up for as long as it sleeps.
 */
@Tag("smp")
@LivepatchTest(cpus = 2)
class SmpIT {
    private static final Duration STALL = Duration.ofMillis(3500);
    private static final Pattern SLEEPING_WORKER =
            Pattern.compile("klp_try_switch_task: (\\S+:\\d+) is sleeping on function lpt_busy_work_func");

    @Test
    void aStalledTransitionIsExplainedByTheTaskFunctionAndStack(Livepatches livepatches, PatchModules modules) {
        livepatches.loadModule(modules.build("lpt_busy").ko(), Map.of("block_transition", "1"));
        livepatches.traceTaskSwitching(true);
        Patch patch = livepatches.load(modules.build("lpt_callbacks").ko());

        // The worker wakes up every 20 ms; a snapshot taken while it runs shows no stack, so look until the
        // kernel's own retry has explained it and its stack has been seen.
        Blocker worker = Deadline.after(STALL)
                .poll(
                        "the kernel to name the task blocking lpt_callbacks",
                        Duration.ofMillis(200),
                        () -> livepatches.blockers().stream()
                                .filter(blocker -> blocker.reason().isPresent())
                                .filter(blocker ->
                                        blocker.stack().stream().anyMatch(f -> f.contains("lpt_busy_work_func")))
                                .findFirst(),
                        () -> livepatches.blockers().toString());

        assertThat(worker.comm()).startsWith("kworker");
        assertThat(worker.patchState()).isZero();
        assertThat(worker.reason()).get().asString().contains("is sleeping on function lpt_busy_work_func");
        assertThat(worker.describe()).contains("kworker").contains("lpt_busy_work_func");
        assertThat(patch).isPresent().isInTransition();
        patch.reverse();
        patch.awaitTransition();
        assertThat(livepatches.stack()).isEmpty();
    }

    @Test
    void theKernelRetriesAStalledTransitionAboutOnceASecond(Livepatches livepatches, PatchModules modules) {
        livepatches.loadModule(modules.build("lpt_busy").ko(), Map.of("block_transition", "1"));
        livepatches.traceTaskSwitching(true);
        Patch patch = livepatches.load(modules.build("lpt_callbacks").ko());

        List<Duration> retries = Deadline.after(STALL.multipliedBy(3))
                .poll(
                        "four attempts at the stalled transition",
                        Duration.ofMillis(250),
                        () -> Optional.of(attemptTimes(livepatches)).filter(times -> times.size() >= 4),
                        () -> attemptTimes(livepatches) + " attempts logged");

        // The kernel re-arms the retry with round_jiffies_relative(HZ): the next attempt lands on a whole
        // second, 0.75 s to 1.75 s after the current one. The first attempt (at load) can fall anywhere in a
        // second; from then on, attempts start just after whole seconds and follow one second apart.
        List<Duration> intervals = new ArrayList<>();
        for (int i = 1; i < retries.size(); i++) {
            intervals.add(retries.get(i).minus(retries.get(i - 1)));
        }
        assertThat(intervals)
                .allSatisfy(
                        interval -> assertThat(interval).isBetween(Duration.ofMillis(600), Duration.ofMillis(2100)));
        assertThat(Durations.median(intervals)).isBetween(Duration.ofMillis(800), Duration.ofMillis(1300));
        patch.force();
        patch.awaitTransition();
        assertThat(patch).isPresent().isNotInTransition();
    }

    /**
     * When the worker blocks the transition, each attempt logs one line about it: mostly that it sleeps in
     * {@code lpt_busy_work_func}, sometimes that it is running.
     */
    private static List<Duration> attemptTimes(Livepatches livepatches) {
        List<KernelMessage> messages = livepatches.kernelLog().messages();
        return messages.stream()
                .map(message -> SLEEPING_WORKER.matcher(message.text()))
                .filter(Matcher::find)
                .map(matcher -> "klp_try_switch_task: " + matcher.group(1) + " ")
                .findFirst()
                .map(worker -> messages.stream()
                        .filter(message -> message.text().contains(worker))
                        .map(KernelMessage::timestamp)
                        .flatMap(Optional::stream)
                        .toList())
                .orElse(List.of());
    }

    @Test
    void atomicReplaceCompletesOnEveryCpu(Livepatches livepatches, PatchModules modules) {
        livepatches.load(modules.build("lpt_cmdline").ko()).awaitTransition();
        Patch replacement = livepatches.load(modules.build("lpt_meminfo").ko(), Map.of("replace", "1"));
        replacement.awaitTransition();

        assertThat(livepatches.stack()).hasOrder("lpt_meminfo");
        assertThatGuestFile(livepatches, "/proc/cmdline").doesNotContain("live patched");
        assertThatGuestFile(livepatches, "/proc/meminfo").startsWith("lpt_meminfo: this has been live patched");
    }
}
