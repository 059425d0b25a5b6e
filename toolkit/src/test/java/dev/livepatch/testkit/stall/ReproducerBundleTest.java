package dev.livepatch.testkit.stall;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReproducerBundleTest {
    private static final GuestSetup SETUP = new GuestSetup(
            List.of("--kernel", "debian:6.1.0-56-amd64"),
            "6.1.0-56-amd64 (Debian linux-image-6.1.0-56-amd64-unsigned 6.1.192-2)",
            "minimal",
            2,
            512,
            "tcg");

    @TempDir
    Path folder;

    @Test
    void theBundleCarriesTheModulesTheLogsAndAScriptThatRunsTheSameScenario() throws IOException {
        StallReport report = StallReports.stalled(StallReports.scenario(folder, Ending.FORCE));

        Path bundle = ReproducerBundle.write(folder.resolve("bundles/lpt_callbacks"), report, SETUP);

        assertThat(bundle.resolve("modules/lpt_busy.ko")).hasContent("module lpt_busy");
        assertThat(bundle.resolve("modules/lpt_callbacks.ko")).hasContent("module lpt_callbacks");
        assertThat(Files.readString(bundle.resolve("reproduce"))).isEqualTo("""
                        #!/bin/sh
                        # Runs the stalled transition described in README.txt again, on the same kernel.
                        # Run it from a livepatch-testkit checkout, or set TESTKIT to its ./testkit.
                        here=$(cd "$(dirname "$0")" && pwd)
                        exec "${TESTKIT:-./testkit}" \\
                            stall \\
                            --kernel debian:6.1.0-56-amd64 \\
                            --image minimal \\
                            --cpus 2 \\
                            --memory 512 \\
                            --wait 5000ms \\
                            --then force \\
                            --with "$here/modules/lpt_busy.ko:block_transition=1" \\
                            --workload 'while :; do cat /proc/cmdline; done' \\
                            "$here/modules/lpt_callbacks.ko" \\
                            "$@"
                        """);
        assertThat(Files.getPosixFilePermissions(bundle.resolve("reproduce")))
                .isEqualTo(PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(Files.readString(bundle.resolve("README.txt")))
                .startsWith(StallExplanation.of(report))
                .contains("Guest: kernel 6.1.0-56-amd64 (Debian linux-image-6.1.0-56-amd64-unsigned 6.1.192-2),"
                        + " image minimal, 2 CPUs, 512 MiB, tcg");
        assertThat(bundle.resolve("kernel-log.txt"))
                .hasContent("[    3.544000] % insmod lpt_callbacks.ko\n[    4.620000] livepatch: klp_try_switch_task:"
                        + " kworker/0:2:47 is sleeping on function lpt_busy_work_func\n");
        assertThat(Files.readString(bundle.resolve("sysfs.txt"))).endsWith("transition:1\n");
    }

    @Test
    void anExistingFolderIsNeverOverwrittenAndNoPartialBundleIsLeft() throws IOException {
        StallReport report = StallReports.stalled(StallReports.scenario(folder, Ending.REVERSE));
        Path existing = Files.createDirectories(folder.resolve("taken"));
        Files.writeString(existing.resolve("notes.txt"), "mine");

        assertThatThrownBy(() -> ReproducerBundle.write(existing, report, SETUP))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("The bundle folder " + existing + " exists already; name another one.");
        assertThat(existing.resolve("notes.txt")).hasContent("mine");
        try (Stream<Path> entries = Files.list(folder)) {
            assertThat(entries.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("partial"));
        }
    }

    @Test
    void aModuleThatVanishedLeavesNoPartialBundle() throws IOException {
        StallReport report = StallReports.stalled(StallReports.scenario(folder, Ending.REVERSE));
        Files.delete(report.scenario().patch().module().path());

        assertThatThrownBy(() -> ReproducerBundle.write(folder.resolve("bundle"), report, SETUP))
                .hasMessageContaining("Could not write the reproducer bundle " + folder.resolve("bundle"))
                .hasMessageContaining("lpt_callbacks.ko");
        try (Stream<Path> entries = Files.list(folder)) {
            assertThat(entries.map(path -> path.getFileName().toString())).containsExactlyInAnyOrder("lpt_busy.ko");
        }
    }

    @Test
    void argumentsAreQuotedOnlyWhenTheyNeedIt() {
        assertThat(ReproducerBundle.quote("--cpus")).isEqualTo("--cpus");
        assertThat(ReproducerBundle.quote("$here/modules/a.ko:x=1")).isEqualTo("\"$here/modules/a.ko:x=1\"");
        assertThat(ReproducerBundle.quote("/tmp/my tree")).isEqualTo("'/tmp/my tree'");
        assertThat(ReproducerBundle.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
