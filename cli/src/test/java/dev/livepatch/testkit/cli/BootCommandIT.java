package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./testkit boot} as a user keeps a guest up, then stops it with SIGTERM (a service manager, a CI job). */
@Tag("qemu")
class BootCommandIT {
    private static final Duration GUEST_UP = Duration.ofMinutes(3);
    private static final Duration RUN_ENDS = Duration.ofMinutes(1);

    @TempDir
    Path folder;

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @Test
    void sigtermStopsTheGuestAndSaysSo() throws Exception {
        Path output = folder.resolve("output.txt");
        Process boot = new ProcessBuilder(CliRun.launcher(folder).toString(), "boot")
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        Deadline.after(GUEST_UP)
                .poll(
                        "./testkit boot to print that its guest is up",
                        Duration.ofMillis(50),
                        () -> Optional.of(read(output)).filter(text -> text.contains("Press Ctrl-C to stop it.")),
                        () -> boot.isAlive() ? read(output) : "exited: " + read(output));
        String runFolder = read(output).replaceFirst("(?s)^.*  serial log: (\\S+)/serial\\.log.*$", "$1");

        boot.destroy();

        assertThat(boot.waitFor(RUN_ENDS.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(read(output))
                .containsPattern("Guest \\S+ stopped \\(SIGTERM or Ctrl-C\\): QEMU has exited, its run folder is"
                        + " removed\\.\\n");
        assertThat(Path.of(runFolder)).doesNotExist();
        assertThat(ProcessHandle.allProcesses()
                        .filter(process -> process.info()
                                .arguments()
                                .map(arguments -> String.join(" ", arguments))
                                .orElse("")
                                .contains(runFolder)))
                .isEmpty();
    }

    private static String read(Path output) {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
