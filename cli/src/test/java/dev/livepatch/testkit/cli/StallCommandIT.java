package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./testkit stall} against a real guest, and the reproducer bundle it writes run again as a user would. */
@Tag("qemu")
class StallCommandIT {
    @TempDir
    Path folder;

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @Test
    void aStallIsExplainedEndedAndBundledAndTheBundleReproducesIt() throws IOException {
        Path bundle = folder.resolve("bundle");

        CliRun stall = CliRun.of(
                "stall",
                "--with",
                "lpt_busy:block_transition=1",
                "--workload",
                "echo 'workload started' > /dev/kmsg; exec sleep 600",
                "--wait",
                "2s",
                "--bundle",
                bundle.toString(),
                "lpt_callbacks");

        assertThat(stall.exitCode()).as(stall.output()).isEqualTo(StallCommand.STALLED);
        assertThat(stall.output().lines())
                .containsSubsequence(
                        "Loading lpt_busy (block_transition=1), then lpt_callbacks; its patching transition may take"
                                + " 2000 ms.",
                        "lpt_callbacks stalled: its patching transition had not finished after 2 s.",
                        "It changes lpt_busy_work_func (in lpt_busy).",
                        "1 task has not switched:")
                .anyMatch(line -> line.matches("  kworker/\\S+ \\(pid \\d+, patch_state 0\\): is sleeping on function"
                        + " lpt_busy_work_func"))
                .anyMatch(
                        line -> line.matches(
                                "   > +\\d+  lpt_busy_work_func\\+0x\\S+ \\[lpt_busy\\]   <- lpt_callbacks changes this function"))
                .anyMatch(
                        line -> line.startsWith("Then reversed (echo 0 > /sys/kernel/livepatch/lpt_callbacks/enabled);")
                                && line.endsWith("lpt_callbacks is gone from sysfs"))
                .contains("Reproducer bundle: " + bundle + " (run it again with " + bundle.resolve("reproduce") + ")");
        assertThat(bundle.resolve("README.txt")).content().startsWith("lpt_callbacks stalled: ");
        assertThat(bundle.resolve("kernel-log.txt"))
                .content()
                .contains("lpt_busy: lpt_busy_work_func enter", "workload started", "% insmod lpt_callbacks.ko")
                .containsPattern("klp_try_switch_task: kworker/\\S+ is sleeping on function lpt_busy_work_func");
        assertThat(bundle.resolve("sysfs.txt")).content().contains("/sys/kernel/livepatch/lpt_callbacks/transition:1");
        assertThat(bundle.resolve("report.html"))
                .content()
                .contains("<h1>Stalled transition of lpt_callbacks on ")
                .contains("<td>lpt_callbacks</td><td>patching transition</td><td>stalled</td>")
                .contains("<svg class=\"timeline\"")
                .contains("<b>retry</b> ")
                .contains("is sleeping on function lpt_busy_work_func");
        assertThat(bundle.resolve("reproduce"))
                .content()
                .contains("--workload 'echo '\\''workload started'\\'' > /dev/kmsg; exec sleep 600'");

        Path testkit = CliRun.launcher(folder);
        ExecResult again = ProcessRunner.create()
                .inDirectory(folder)
                .withEnvironment(Map.of("TESTKIT", testkit.toString()))
                .exec(
                        List.of(bundle.resolve("reproduce").toString(), "--no-bundle", "--then", "force"),
                        Duration.ofMinutes(3));

        assertThat(again.exitCode()).as(again.stdout() + again.stderr()).isEqualTo(StallCommand.STALLED);
        assertThat(again.stdout())
                .contains("lpt_callbacks stalled: its patching transition had not finished after 2 s.")
                .contains("<- lpt_callbacks changes this function")
                .contains("Then forced (echo 1 > /sys/kernel/livepatch/lpt_callbacks/force);")
                .doesNotContain("Reproducer bundle:");
    }

    @Test
    void aTransitionThatFinishesIsNoStall() {
        CliRun finished = CliRun.of("stall", "--no-bundle", "lpt_cmdline");

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(finished.output())
                .containsPattern("lpt_cmdline: the patching transition finished in \\d+ ms; nothing held it up within"
                        + " 5 s.");
    }

    @Test
    void aPlainModuleAsThePatchIsRefusedWithWhatToDo() {
        CliRun refused = CliRun.of("stall", "--no-bundle", "lpt_busy");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errors()).contains("is not a livepatch: its modinfo lacks livepatch=Y. Pass it with --with");
    }
}
