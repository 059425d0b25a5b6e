package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

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

        Run stall = run(
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
        assertThat(bundle.resolve("reproduce"))
                .content()
                .contains("--workload 'echo '\\''workload started'\\'' > /dev/kmsg; exec sleep 600'");

        Path testkit = launcher();
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
        Run finished = run("stall", "--no-bundle", "lpt_cmdline");

        assertThat(finished.exitCode()).as(finished.output()).isZero();
        assertThat(finished.output())
                .containsPattern("lpt_cmdline: the patching transition finished in \\d+ ms; nothing held it up within"
                        + " 5 s.");
    }

    @Test
    void aPlainModuleAsThePatchIsRefusedWithWhatToDo() {
        Run refused = run("stall", "--no-bundle", "lpt_busy");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.errors()).contains("is not a livepatch: its modinfo lacks livepatch=Y. Pass it with --with");
    }

    private record Run(int exitCode, String output, String errors) {}

    private static Run run(String... arguments) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (PrintStream capturedOut = new PrintStream(output, true, StandardCharsets.UTF_8);
                PrintStream capturedErr = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(capturedErr, true));
            int exitCode = commandLine.execute(arguments);
            return new Run(exitCode, output.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Stands in for {@code ./testkit}: the same CLI, from this test's classpath, on the same project. */
    private Path launcher() throws IOException {
        Path script = folder.resolve("testkit");
        Files.writeString(
                script,
                "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                        + System.getProperty("java.class.path") + "' -D" + Settings.PROJECT_DIR.name() + "='"
                        + Settings.PROJECT_DIR.get() + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
