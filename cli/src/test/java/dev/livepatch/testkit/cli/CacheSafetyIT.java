package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.util.Folders;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Toolkit processes sharing one cache, started empty: at the same time, killed with {@code kill -9} while they make
 * an entry, and after entries were damaged. The tests run in order on the one cache, each leaving it complete.
 */
@Tag("qemu")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CacheSafetyIT {
    private static final Duration RUN_LIMIT = Duration.ofMinutes(6);

    @TempDir
    static Path cache;

    @TempDir
    Path work;

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @Test
    @Order(1)
    void twoRunsOnAnEmptyCacheMakeEachEntryOnceAndAThirdReusesEverything() throws Exception {
        Started first = start("exec", "--", "uname", "-r");
        Started second = start("exec", "--", "uname", "-r");
        Run a = finish(first);
        Run b = finish(second);

        assertThat(a.exitCode()).as(a.output()).isZero();
        assertThat(b.exitCode()).as(b.output()).isZero();
        String both = a.output() + b.output();
        assertThat(a.output()).containsPattern("\\d+\\.\\d+\\.\\d+-\\d+-amd64");
        assertThat(both).contains("! Waiting for another livepatch-testkit process to finish");
        assertThat(count(both, "✓ Unpacking kernel ")).as(both).isEqualTo(1);
        assertThat(count(both, "✓ Building guest image ")).as(both).isEqualTo(1);
        assertThat(count(both, "✓ Booting ")).as(both).isEqualTo(1);
        assertThat(count(both, "✓ Starting guest from its boot snapshot"))
                .as(both)
                .isEqualTo(1);
        for (String area : List.of("kernels", "images", "snapshots", "pvh-kernels")) {
            assertThat(entries(area)).as(area).hasSize(1);
        }

        Run third = finish(start("exec", "--", "uname", "-r"));
        assertThat(third.exitCode()).as(third.output()).isZero();
        assertThat(third.output())
                .contains("✓ Starting guest from its boot snapshot")
                .doesNotContain("Downloading", "Unpacking", "Building", "Booting", "Waiting");
    }

    @Test
    @Order(2)
    void aRunKilledDuringTheFirstBootLeavesNoQemuAndNoSnapshotAndTheNextBootsFine() throws Exception {
        removeArea("snapshots");
        Started killed = start("exec", "--", "uname", "-r");
        Path pidFile = awaitFile("run", "qemu.pid");
        long qemu = Long.parseLong(Files.readString(pidFile).strip());
        // Into the boot, before savevm: whenever the kill lands, the next run must recover by itself.
        Thread.sleep(3000);
        kill(killed);

        // The kernel kills QEMU when its JVM dies (parent-death signal); on a loaded host tearing both down takes
        // seconds, and more than 10 once (two other test runs beside it).
        Deadline.after(Duration.ofSeconds(30))
                .poll(
                        "QEMU (pid " + qemu + ") to die with its JVM",
                        Duration.ofMillis(100),
                        () -> ProcessHandle.of(qemu)
                                        .filter(ProcessHandle::isAlive)
                                        .isEmpty()
                                ? Optional.of(true)
                                : Optional.empty(),
                        () -> "still running");
        assertThat(entries("snapshots")).isEmpty();

        Run next = finish(start("exec", "--", "uname", "-r"));
        assertThat(next.exitCode()).as(next.output()).isZero();
        assertThat(next.output()).contains("✓ Booting ");
        assertThat(children("snapshots")).hasSize(1).allMatch(name -> !name.startsWith("."));
        assertThat(children("run")).isEmpty();
    }

    @Test
    @Order(3)
    void aTruncatedSnapshotIsFoundAndMadeAgainByAColdBoot() throws Exception {
        Path snapshot = entries("snapshots").get(0).resolve("state.qcow2");
        try (FileChannel file = FileChannel.open(snapshot, StandardOpenOption.WRITE)) {
            file.truncate(file.size() / 2);
        }

        Run next = finish(start("exec", "--", "uname", "-r"));

        assertThat(next.exitCode()).as(next.output()).isZero();
        assertThat(next.output())
                .contains("! The cached snapshots entry ")
                .contains("is damaged: state.qcow2 has ")
                .contains("✓ Booting ");
        Run after = finish(start("exec", "--", "uname", "-r"));
        assertThat(after.output()).contains("✓ Starting guest from its boot snapshot");
    }

    @Test
    @Order(4)
    void aRunKilledDuringAModuleBuildLeavesNoHalfEntryAndTheNextBuildsFine() throws Exception {
        Started killed = start("build", "lpt_cmdline");
        awaitFile("build-logs", "kbuild.log");
        // The log is made as kbuild starts, and kbuild takes seconds: the kill lands in its run, before the entry can
        // be complete (a second's wait let a fast host finish the build first, and the next run found it cached).
        kill(killed);

        Run next = finish(start("build", "lpt_cmdline"));

        assertThat(next.exitCode()).as(next.output()).isZero();
        assertThat(next.output()).contains("✓ Building lpt_cmdline");
        assertThat(children("modules")).hasSize(1).allMatch(name -> !name.startsWith("."));
        Run again = finish(start("build", "lpt_cmdline"));
        assertThat(again.output()).doesNotContain("✓ Building lpt_cmdline");
    }

    @Test
    @Order(5)
    void aKernelHeaderDeletedFromTheCacheIsFoundAndTheKernelUnpackedAgain() throws Exception {
        Path kernel = entries("kernels").get(0);
        Path autoconf;
        try (Stream<Path> files = Files.walk(kernel)) {
            autoconf = files.filter(p -> p.endsWith("include/generated/autoconf.h"))
                    .findFirst()
                    .orElseThrow();
        }
        Files.delete(autoconf);
        removeArea("modules");

        Run next = finish(start("build", "lpt_cmdline"));

        assertThat(next.exitCode()).as(next.output()).isZero();
        assertThat(next.output())
                .contains("is damaged: " + kernel.relativize(autoconf) + " is missing")
                .contains("✓ Unpacking kernel ")
                .contains("✓ Building lpt_cmdline")
                .doesNotContain("make oldconfig");
        assertThat(autoconf).exists();
    }

    private record Run(int exitCode, String output) {}

    private record Started(Process process, Path log) {}

    private Started start(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "-D" + Settings.PROJECT_DIR.name() + "=" + Settings.PROJECT_DIR.get(),
                "-D" + Settings.CACHE_DIR.name() + "=" + cache,
                Main.class.getName()));
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile(work, "run-", ".log");
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        return new Started(process, output);
    }

    private static Run finish(Started run) throws Exception {
        Process process = run.process();
        if (!process.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("A toolkit run did not finish within " + RUN_LIMIT + ":\n"
                    + Files.readString(run.log(), StandardCharsets.UTF_8));
        }
        return new Run(process.exitValue(), Files.readString(run.log(), StandardCharsets.UTF_8));
    }

    private static void kill(Started run) throws InterruptedException {
        run.process().destroyForcibly();
        assertThat(run.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static Path awaitFile(String area, String name) {
        return Deadline.after(RUN_LIMIT)
                .poll(
                        name + " under " + cache.resolve(area),
                        Duration.ofMillis(100),
                        () -> {
                            try (Stream<Path> files = Files.walk(cache.resolve(area))) {
                                return files.filter(
                                                p -> p.getFileName().toString().equals(name))
                                        .findFirst();
                            } catch (IOException | RuntimeException e) {
                                return Optional.empty();
                            }
                        },
                        () -> "not there yet");
    }

    private static List<Path> entries(String area) throws IOException {
        return children(area).stream()
                .filter(name -> !name.startsWith("."))
                .map(name -> cache.resolve(area).resolve(name))
                .filter(Files::isDirectory)
                .toList();
    }

    private static List<String> children(String area) throws IOException {
        Path folder = cache.resolve(area);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void removeArea(String area) throws IOException {
        Folders.deleteRecursively(cache.resolve(area));
    }

    private static int count(String text, String line) {
        return (int) text.lines().filter(l -> l.startsWith(line)).count();
    }
}
