package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.TransitionTimeline;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;

/**
 * A transition on four CPUs with a thousand tasks asleep in system calls, the shape of a busy production machine:
 * how long it takes and how many fake-signal rounds the kernel sends, from the transition's timeline (in the
 * reports). A thousand processes take about 0.6 MiB each where pages are 64 KiB (ppc64le), several pages of stack,
 * data and heap apiece, and would not fit the default 512 MiB.
 */
@Tag("field")
@LivepatchTest(cpus = 4, memoryMib = 1536)
class FieldSmpIT {
    private static final int SLEEPERS = 1000;
    private static final Duration SETUP = Duration.ofMinutes(2);
    private static final Duration TRANSITION = Duration.ofMinutes(2);

    private static int sleepers(GuestShell shell) {
        ExecResult count = shell.exec("grep -l '^sleep$' /proc/[0-9]*/comm 2>/dev/null | wc -l", SETUP);
        return Integer.parseInt(count.stdout().strip());
    }

    private static long availableKib(Livepatches livepatches) {
        return livepatches
                .read("/proc/meminfo")
                .lines()
                .filter(line -> line.startsWith("MemAvailable:"))
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("/proc/meminfo has no MemAvailable line"));
    }

    @Test
    void aTransitionPastAThousandSleepingTasksOnFourCpusCompletesAndItsTimelineIsKept(
            Livepatches livepatches, PatchModules modules, GuestShell shell, TestReporter reporter) {
        long availableBefore = availableKib(livepatches);
        ExecResult started =
                shell.exec("i=0; while [ $i -lt " + SLEEPERS + " ]; do sleep 3600 & i=$((i+1)); done", SETUP);
        assertThat(started.succeeded()).as(started.stderr()).isTrue();
        // A background job is a forked shell until it has exec'd sleep: count until every one has.
        Deadline.after(SETUP)
                .poll(
                        SLEEPERS + " tasks asleep in sleep(1)",
                        Duration.ofMillis(200),
                        () -> sleepers(shell) >= SLEEPERS ? Optional.of(true) : Optional.empty(),
                        () -> sleepers(shell) + " sleeping tasks");
        reporter.publishEntry(
                "memory a sleeping task takes",
                (availableBefore - availableKib(livepatches)) / SLEEPERS + " KiB (MemAvailable before and after "
                        + SLEEPERS + " of them)");
        assertThat(livepatches.read("/proc/cpuinfo").lines().filter(line -> line.startsWith("processor")))
                .hasSize(4);

        Patch patch = livepatches.load(modules.build("lpt_cmdline").ko());
        patch.awaitTransition(TRANSITION);

        assertThat(patch).isPresent().isEnabled().isNotInTransition();
        assertThat(livepatches.read("/proc/cmdline")).startsWith("lpt_cmdline: this has been live patched");
        List<TransitionTimeline> timelines = livepatches.transitions();
        assertThat(timelines).isNotEmpty();
        TransitionTimeline timeline = timelines.get(timelines.size() - 1);
        assertThat(timeline.ending()).isEqualTo(TransitionTimeline.Ending.COMPLETED);
        reporter.publishEntry(
                "transition past " + SLEEPERS + " sleeping tasks on 4 CPUs",
                timeline.duration().map(duration -> duration.toMillis() + " ms").orElse("(no start and end in the log)")
                        + ", " + timeline.retries() + " retries, " + timeline.signalRounds()
                        + " fake-signal rounds");
    }
}
