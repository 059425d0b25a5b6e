package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./testkit exec} stopped by a signal while its guest boots, as a user's Ctrl-C or a CI job's SIGTERM does:
 * the run says it was interrupted (not that QEMU failed) and leaves no QEMU behind. Each run uses a cache without
 * boot snapshots, so that it boots cold and the signal arrives during the boot.
 */
@Tag("qemu")
class InterruptedBootIT {
    private static final Duration QEMU_APPEARS = Duration.ofMinutes(3);
    private static final Duration RUN_ENDS = Duration.ofMinutes(1);

    @TempDir
    Path folder;

    private Path cache;

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    /** The real cache's kernels, images and modules, but no boot snapshots and no run folders of other guests. */
    @BeforeEach
    void cacheWithoutSnapshots() throws IOException {
        cache = Files.createDirectory(folder.resolve("cache"));
        Path real = Settings.CACHE_DIR.get();
        try (Stream<Path> areas = Files.list(real)) {
            for (Path area : areas.toList()) {
                String name = area.getFileName().toString();
                if (!name.equals("snapshots") && !name.equals("run")) {
                    Files.createSymbolicLink(cache.resolve(name), area);
                }
            }
        }
    }

    @Test
    void sigtermDuringABootSaysTheRunWasInterrupted() throws Exception {
        Process run = startExec();
        ProcessHandle qemu = awaitQemu(run);

        run.destroy(); // SIGTERM to the JVM alone; its shutdown stops QEMU

        String output = finish(run);
        assertThat(output)
                .contains("Interrupted while booting ")
                .contains(" by SIGTERM or Ctrl-C (this program is shutting down): the guest was stopped")
                .doesNotContain("exited with status");
        assertGone(qemu);
    }

    @Test
    void ctrlCDuringABootSaysTheRunWasInterrupted() throws Exception {
        Process run = startExec();
        ProcessHandle qemu = awaitQemu(run);

        // Ctrl-C signals the whole foreground process group: the JVM and QEMU alike.
        new ProcessBuilder("kill", "-INT", Long.toString(run.pid()), Long.toString(qemu.pid()))
                .start()
                .waitFor();

        String output = finish(run);
        assertThat(output)
                .contains("Interrupted while booting ")
                .contains(": the guest was stopped")
                .doesNotContain("exited with status")
                .doesNotContain("died");
        assertGone(qemu);
    }

    /**
     * Started with SIGINT at its default action, as from an interactive shell: a job started in the background by a
     * non-interactive shell (nohup, a CI runner's wrapper) inherits SIGINT ignored, and a JVM that inherits it so
     * installs no handler for it.
     */
    private Process startExec() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                        "env",
                        "--default-signal=INT",
                        CliRun.launcher(folder).toString(),
                        "exec",
                        "--",
                        "echo",
                        "the boot was not interrupted")
                .redirectErrorStream(true)
                .redirectOutput(folder.resolve("output.txt").toFile());
        builder.environment().put(Settings.CACHE_DIR.environmentName(), cache.toString());
        return builder.start();
    }

    private ProcessHandle awaitQemu(Process run) {
        return Deadline.after(QEMU_APPEARS)
                .poll(
                        "a QEMU process started by ./testkit exec (pid " + run.pid() + ")",
                        Duration.ofMillis(10),
                        () -> run.descendants()
                                .filter(InterruptedBootIT::isGuestQemu)
                                .findFirst(),
                        () -> run.isAlive() ? "still running, no QEMU yet" : "exited: " + output());
    }

    /** A guest's QEMU, not {@code qemu-system-x86_64 --version} or the KVM probe: it has a QMP socket. */
    private static boolean isGuestQemu(ProcessHandle process) {
        return process.info()
                        .command()
                        .filter(command -> command.contains("qemu-system"))
                        .isPresent()
                && process.info().arguments().map(List::of).orElse(List.of()).contains("-qmp");
    }

    private String finish(Process run) throws InterruptedException {
        assertThat(run.waitFor(RUN_ENDS.toSeconds(), TimeUnit.SECONDS))
                .as("./testkit exec ended within %s of the signal; it printed: %s", RUN_ENDS, output())
                .isTrue();
        return output();
    }

    private String output() {
        try {
            return Files.readString(folder.resolve("output.txt"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void assertGone(ProcessHandle qemu) {
        assertThat(qemu.onExit()).as("QEMU (pid %s) ended", qemu.pid()).succeedsWithin(RUN_ENDS);
    }
}
