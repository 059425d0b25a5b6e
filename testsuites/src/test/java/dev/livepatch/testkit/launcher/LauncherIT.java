package dev.livepatch.testkit.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher ({@code ./testkit}) as a user runs it, on the jar this build packaged. */
@Tag("kbuild")
class LauncherIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Path LAUNCHER = REPOSITORY.resolve("testkit");
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path folder;

    @Test
    void theEnvironmentFormOfTheProjectDirWinsOverTheLaunchersDefault() throws IOException {
        Path project = folder.resolve("project");
        Path patch = Files.createDirectories(project.resolve("patches/lpt_cmdline"));
        try (Stream<Path> files = Files.list(REPOSITORY.resolve("patches/lpt_cmdline"))) {
            for (Path file : files.toList()) {
                Files.copy(file, patch.resolve(file.getFileName()));
            }
        }

        ExecResult build =
                launcher(Map.of("LIVEPATCH_PROJECT_DIR", project.toString()), "build", "--builder", "native");

        assertThat(build.exitCode()).as(build.stdout() + build.stderr()).isZero();
        assertThat(build.stdout()).contains("lpt_cmdline").doesNotContain("lpt_busy");
    }

    @Test
    void doctorSaysTheMainJobCanRunHere() {
        ExecResult doctor = launcher(Map.of(), "doctor");

        assertThat(doctor.exitCode()).as(doctor.stdout() + doctor.stderr()).isZero();
        assertThat(doctor.stdout())
                .contains("✓ qemu-system-x86_64  /usr/bin/qemu-system-x86_64 — runs guests")
                .containsPattern("Accelerator: (KVM|TCG) \\(")
                .contains("Cache: ")
                .endsWith("The main job (./testkit run) can run.\n");
    }

    @Test
    void doctorWithoutQemuExitsNonZeroWithTheOneCommandThatFixesIt() throws IOException {
        Path bin = Files.createDirectories(folder.resolve("bin"));
        Set<String> hidden = Set.of("qemu-system-x86_64", "qemu-img", "qemu-io");
        for (String dir : List.of("/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin")) {
            if (!Files.isDirectory(Path.of(dir))) {
                continue;
            }
            try (Stream<Path> programs = Files.list(Path.of(dir))) {
                for (Path program : programs.toList()) {
                    Path link = bin.resolve(program.getFileName());
                    if (!hidden.contains(program.getFileName().toString()) && Files.notExists(link)) {
                        Files.createSymbolicLink(link, program);
                    }
                }
            }
        }

        ExecResult doctor = launcher(Map.of("PATH", bin.toString()), "doctor");

        assertThat(doctor.exitCode()).as(doctor.stdout() + doctor.stderr()).isEqualTo(1);
        assertThat(doctor.stdout())
                .contains("✗ qemu-system-x86_64  missing: install qemu-system-x86 — runs guests")
                .contains("Accelerator: unknown: QEMU is not installed, so KVM cannot be probed")
                .contains("The main job (./testkit run) cannot run: qemu-system-x86_64, qemu-img, qemu-io are"
                        + " missing. Fix it with:\n"
                        + "  sudo apt-get update && sudo apt-get install -y --no-install-recommends"
                        + " qemu-system-x86 qemu-utils\n");
    }

    @Test
    void anUnknownSuiteIsAUsageErrorListingTheSuitesThereAre() {
        ExecResult test = launcher(Map.of(), "test", "atomic-replace", "atomic-replcae");

        assertThat(test.exitCode()).as(test.stdout() + test.stderr()).isEqualTo(2);
        assertThat(test.stderr())
                .startsWith("Unknown suite 'atomic-replcae'. The suites are: atomic-replace, ")
                .contains(" selftests, ")
                .doesNotContain("qemu");
        assertThat(test.stdout()).doesNotContain("Running");
    }

    @Test
    void theLauncherAndEveryCommandAnswerVersionAndHelp() {
        ExecResult version = launcher(Map.of(), "--version");
        ExecResult help = launcher(Map.of(), "exec", "--help");

        assertThat(version.exitCode()).isZero();
        assertThat(version.stdout()).startsWith("livepatch-testkit 0.1.0-SNAPSHOT\n");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).startsWith("Usage: testkit exec ");
    }

    private ExecResult launcher(Map<String, String> environment, String... arguments) {
        return ProcessRunner.create()
                .inDirectory(folder)
                .withEnvironment(environment)
                .exec(
                        Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(arguments))
                                .toList(),
                        TIMEOUT);
    }
}
