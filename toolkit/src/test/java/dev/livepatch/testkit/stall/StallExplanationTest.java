package dev.livepatch.testkit.stall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.livepatch.Blocker;
import dev.livepatch.testkit.livepatch.KernelLog;
import dev.livepatch.testkit.livepatch.Taint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StallExplanationTest {
    @TempDir
    Path folder;

    @Test
    void aStallNamesTheTaskTheKernelsReasonAndMarksThePatchedFrame() throws IOException {
        String text = StallExplanation.of(StallReports.stalled(StallReports.scenario(folder, Ending.REVERSE)));

        assertThat(text.lines())
                .containsSubsequence(
                        "lpt_callbacks stalled: its patching transition had not finished after 5 s.",
                        "It changes lpt_busy_work_func (in lpt_busy).",
                        "1 task has not switched:",
                        "  kworker/0:2+events (pid 47, patch_state 0): is sleeping on function lpt_busy_work_func",
                        "     0  msleep+0x29/0x40",
                        "   > 1  lpt_busy_work_func+0x38/0xfda [lpt_busy]   <- lpt_callbacks changes this function",
                        "     2  process_one_work+0x1c7/0x380",
                        "    A task cannot switch while a function the patch changes is on its stack: this one"
                                + " switches when it leaves lpt_busy_work_func.",
                        "Then reversed (echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled); the transition was"
                                + " over 291 ms later: lpt_callbacks is gone from sysfs");
        assertThat(text).contains("Kernel taint: 45056 (").contains("kernel has been live patched");
    }

    @Test
    void aFrameTheKernelNamesIsMarkedEvenWhenSysfsDoesNotListIt() throws IOException {
        StallReport stalled = StallReports.stalled(StallReports.scenario(folder, Ending.FORCE));
        StallReport withoutObjects = new StallReport(
                stalled.scenario(),
                Optional.empty(),
                stalled.blockers(),
                List.of(),
                stalled.ending(),
                stalled.kernelLog(),
                stalled.sysfs(),
                stalled.taint(),
                List.of());

        assertThat(StallExplanation.of(withoutObjects))
                .contains("   > 1  lpt_busy_work_func+0x38/0xfda [lpt_busy]   <- the kernel names this function")
                .doesNotContain("It changes");
    }

    @Test
    void aRunningTaskAndAnUnreliableStackGetTheirOwnHints() throws IOException {
        StallReport stalled = StallReports.stalled(StallReports.scenario(folder, Ending.REVERSE));
        StallReport report = new StallReport(
                stalled.scenario(),
                Optional.empty(),
                List.of(
                        new Blocker(12, "loop", 0, List.of(), Optional.of("is running")),
                        new Blocker(13, "odd", 0, List.of(), Optional.of("has an unreliable stack")),
                        new Blocker(14, "quiet", 0, List.of("[<0>] schedule+0x1/0x2"), Optional.empty())),
                stalled.objects(),
                stalled.ending(),
                KernelLog.empty(),
                "",
                new Taint(0),
                List.of());

        assertThat(StallExplanation.of(report).lines())
                .contains(
                        "3 tasks have not switched:",
                        "  loop (pid 12, patch_state 0): is running",
                        "    It was running when the kernel looked; it switches at its next return to user space, or"
                                + " when it sleeps outside the patched functions.",
                        "  odd (pid 13, patch_state 0): has an unreliable stack",
                        "    The kernel could not walk its stack reliably (an interrupt or exception frame on it,"
                                + " where this architecture's reliable unwinder stops); it switches at its next return"
                                + " to user space, or when it sleeps of its own accord with no patched function on its"
                                + " stack.",
                        "  quiet (pid 14, patch_state 0): no reason logged by the kernel",
                        "     0  schedule+0x1/0x2")
                .noneMatch(line -> line.startsWith("Kernel taint"));
    }

    @Test
    void aTransitionThatFinishesSaysHowLongItTook() throws IOException {
        StallReport finished = new StallReport(
                StallReports.scenario(folder, Ending.REVERSE),
                Optional.of(Duration.ofMillis(12)),
                List.of(),
                List.of(),
                Optional.empty(),
                KernelLog.empty(),
                "",
                new Taint(0),
                List.of());

        assertThat(finished.stalled()).isFalse();
        assertThat(StallExplanation.of(finished))
                .isEqualTo("lpt_callbacks: the patching transition finished in 12 ms; nothing held it up within"
                        + " 5 s.\n");
    }

    @Test
    void framesWithAndWithoutAddressesNameTheirFunction() {
        assertThat(StallExplanation.functionOf("[<0>] msleep+0x29/0x40")).isEqualTo("msleep");
        assertThat(StallExplanation.functionOf("[<ffffffff81234567>] lpt_busy_work_func+0x38/0xfda [lpt_busy]"))
                .isEqualTo("lpt_busy_work_func");
        assertThat(StallExplanation.functionOf("ret_from_fork+0x22/0x30")).isEqualTo("ret_from_fork");
    }
}
