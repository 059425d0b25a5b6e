package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./testkit check} stopped by Ctrl-C while a transition is held up: the run ends, and no QEMU outlives it.
 * Started with SIGINT at its default action, as from an interactive shell (a background job inherits it ignored).
 */
@Tag("qemu")
class InterruptedCheckIT {
    private static final Duration STEP_REACHED = Duration.ofMinutes(3);
    private static final Duration RUN_ENDS = Duration.ofMinutes(1);

    @TempDir
    Path folder;

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @Test
    void ctrlCWhileATransitionIsHeldUpEndsTheRunAndLeavesNoQemu() throws Exception {
        Path output = folder.resolve("output.txt");
        Process run = startHeldUpCheck(output, List.of("env", "--default-signal=INT"));
        ProcessHandle qemu = Deadline.after(STEP_REACHED)
                .poll(
                        "the check to build its modules and start its guest",
                        Duration.ofMillis(50),
                        () -> read(output).contains("✓ gate › builds lpt_callbacks")
                                ? run.descendants()
                                        .filter(process -> process.info()
                                                .command()
                                                .orElse("")
                                                .contains("qemu-system"))
                                        .findFirst()
                                : Optional.empty(),
                        () -> run.isAlive() ? read(output) : "exited: " + read(output));
        Thread.sleep(2000); // into the held-up transition

        new ProcessBuilder("kill", "-INT", Long.toString(run.pid()), Long.toString(qemu.pid()))
                .start()
                .waitFor();

        assertThat(run.waitFor(RUN_ENDS.toSeconds(), TimeUnit.SECONDS))
                .as("./testkit check ended within %s of Ctrl-C; it printed: %s", RUN_ENDS, read(output))
                .isTrue();
        assertThat(run.exitValue()).isNotZero();
        assertThat(qemu.onExit()).succeedsWithin(RUN_ENDS);
        assertThat(ProcessHandle.allProcesses()
                        .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).stream()
                                .anyMatch(argument -> argument.contains(folder.toString()))))
                .isEmpty();
    }

    @Test
    void sigtermToACheckOfKernelsSideBySideEndsEveryKernelsRunAndLeavesNoQemu() throws Exception {
        Path output = folder.resolve("output.txt");
        Process run = startHeldUpCheck(output, List.of(), "--kernels", "debian,debian:bookworm", "-j", "2");
        List<ProcessHandle> guests = Deadline.after(STEP_REACHED.multipliedBy(2))
                .poll(
                        "both kernels' checks to build their modules and start their guests",
                        Duration.ofMillis(100),
                        () -> {
                            List<ProcessHandle> qemus = run.descendants()
                                    .filter(process ->
                                            process.info().command().orElse("").contains("qemu-system"))
                                    .toList();
                            String text = read(output);
                            return qemus.size() == 2
                                            && text.contains("[debian]   ✓ gate › builds lpt_callbacks")
                                            && text.contains("[debian:bookworm]   ✓ gate › builds lpt_callbacks")
                                    ? Optional.of(qemus)
                                    : Optional.empty();
                        },
                        () -> run.isAlive() ? read(output) : "exited: " + read(output));
        Thread.sleep(2000); // into the held-up transitions

        new ProcessBuilder("kill", "-TERM", Long.toString(run.pid())).start().waitFor();

        assertThat(run.waitFor(RUN_ENDS.toSeconds(), TimeUnit.SECONDS))
                .as("./testkit check ended within %s of SIGTERM; it printed: %s", RUN_ENDS, read(output))
                .isTrue();
        assertThat(run.exitValue()).isNotZero();
        guests.forEach(qemu -> assertThat(qemu.onExit()).succeedsWithin(RUN_ENDS));
        Deadline.after(RUN_ENDS)
                .poll(
                        "every process of the run to end",
                        Duration.ofMillis(100),
                        () -> leftovers().isEmpty() ? Optional.of(true) : Optional.empty(),
                        () -> leftovers().toString());
    }

    /**
     * The launcher, started by {@code starter} (e.g. {@code env --default-signal=INT}), checking lpt_callbacks while
     * lpt_busy holds its transition up for 5 minutes, with {@code options} too; its output in {@code output}.
     */
    private Process startHeldUpCheck(Path output, List<String> starter, String... options) throws IOException {
        List<String> command = new ArrayList<>(starter);
        command.addAll(List.of(
                CliRun.launcher(folder).toString(),
                "check",
                "patches/lpt_callbacks",
                "--with",
                "lpt_busy:block_transition=1",
                "--transition-timeout",
                "5m",
                "--reports",
                folder.resolve("reports").toString()));
        command.addAll(List.of(options));
        return new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }

    private List<String> leftovers() {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(List::of).orElse(List.of()).stream()
                        .anyMatch(argument -> argument.contains(folder.toString())))
                .map(process ->
                        process.pid() + " " + process.info().commandLine().orElse(""))
                .toList();
    }

    private static String read(Path output) {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
