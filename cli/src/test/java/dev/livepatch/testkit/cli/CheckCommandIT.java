package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./testkit check} on a real guest: a change that works, a check that never passes, a stall, an upgrade. */
@Tag("qemu")
class CheckCommandIT {
    private static final String PATCHED = "grep -q 'live patched' /proc/cmdline";

    @TempDir
    Path folder;

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @Test
    void aWorkingChangePassesEveryStepAndEachStepIsATestInTheReports() throws IOException {
        CliRun run = check("patches/lpt_cmdline", "--check", PATCHED);

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output())
                .contains("✓ gate › builds lpt_cmdline for ")
                .contains("✓ gate › the check fails without the patch: " + PATCHED)
                .contains("✓ gate › lpt_cmdline loads and its transition completes within 30 s")
                .contains("✓ gate › the check passes with the patch: " + PATCHED)
                .contains("✓ gate › the kernel log since the load is clean and the taint is the livepatch's own")
                .contains(
                        "✓ gate › disabled, its transition completes, the checks fail again and its module is removed")
                .contains("✓ gate › it loads once more and works")
                .contains("7 tests: 7 passed, 0 failed, 0 skipped");
        assertThat(Files.readString(folder.resolve("reports/results.json"))).contains("\"passed\": 7");
        assertThat(folder.resolve("reports/results.ktap")).content().contains("ok 7 gate › it loads once more");
        assertThat(folder.resolve("reports/report.html")).exists();
    }

    @Test
    void aCheckThatNeverPassesFailsTheStepAfterTheLoadWithItsOutputAndSkipsTheRest() {
        CliRun run = check("patches/lpt_cmdline", "--check", "cat /proc/cmdline; false");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output())
                .contains("✗ gate › the check passes with the patch: cat /proc/cmdline; false")
                .contains("The check 'cat /proc/cmdline; false' fails with the patch (exit status 1). Its output:")
                .contains("lpt_cmdline: this has been live patched")
                .contains("- gate › it loads once more and works skipped: not run: an earlier step failed");
    }

    @Test
    void aCheckThatAlreadyPassesProvesNothing() {
        CliRun run = check("patches/lpt_cmdline", "--check", "true");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output())
                .contains("✗ gate › the check fails without the patch: true")
                .contains("The check 'true' already passes without the patch: it proves nothing about the patch.");
    }

    @Test
    void aStalledTransitionIsExplainedBundledAndExitsThree() throws IOException {
        CliRun run = check(
                "patches/lpt_callbacks",
                "--with",
                "lpt_busy:block_transition=1",
                "--transition-timeout",
                "5s",
                "--bundles",
                folder.resolve("bundles").toString());

        assertThat(run.exitCode()).as(run.output() + run.errors()).isEqualTo(3);
        assertThat(run.output())
                .contains("✗ gate › after lpt_busy, lpt_callbacks loads and its transition completes within 5 s")
                .contains("lpt_callbacks stalled: its patching transition had not finished after 5 s.")
                .contains("is sleeping on function lpt_busy_work_func")
                .contains("<- lpt_callbacks changes this function");
        List<Path> bundles;
        try (Stream<Path> found = Files.list(folder.resolve("bundles"))) {
            bundles = found.toList();
        }
        assertThat(bundles)
                .singleElement()
                .satisfies(bundle -> assertThat(bundle.resolve("reproduce")).isExecutable());
    }

    @Test
    void anUpgradeReplacesTheDeployedPatchUnderLoadAndWhatOnlyItChangedReverts() {
        CliRun run = check(
                "patches/lpt_meminfo:replace=1",
                "--previous",
                "patches/lpt_cmdline",
                "--check",
                "grep -q 'live patched' /proc/meminfo",
                "--workload",
                "sleep",
                "--workload",
                "fork");

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output())
                .contains("✓ gate › the deployed patch lpt_cmdline loads and its transition completes")
                .contains("✓ gate › under load (sleep, fork), lpt_meminfo loads and its transition completes")
                .contains("lpt_cmdline changed [vmlinux:cmdline_proc_show]; lpt_meminfo changes"
                        + " [vmlinux:meminfo_proc_show]; back to the original: [vmlinux:cmdline_proc_show]")
                .contains("✓ gate › the upgrade from the deployed patch is what the kernel promises")
                .contains("9 tests: 9 passed");
    }

    @Test
    void withoutReplaceTheUpgradeStacksOnTheDeployedPatch() {
        CliRun run = check("patches/lpt_meminfo", "--previous", "patches/lpt_cmdline");

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output()).contains("✓ gate › the upgrade from the deployed patch is what the kernel promises");
    }

    @Test
    void withJKernelsAreCheckedSideBySideEachLineNamingItsKernel() throws IOException {
        CliRun run = check("patches/lpt_cmdline", "--check", PATCHED, "--kernels", "debian,debian:bookworm", "-j", "2");

        assertThat(run.exitCode()).as(run.output() + run.errors()).isZero();
        assertThat(run.output())
                .contains("Running on 2 kernels, 2 at a time; each line starts with its kernel.")
                .contains("[debian] 7 tests: 7 passed, 0 failed, 0 skipped")
                .contains("[debian:bookworm] 7 tests: 7 passed, 0 failed, 0 skipped")
                .containsPattern("debian +\\| 7 passed")
                .containsPattern("debian:bookworm +\\| 7 passed");
        assertThat(Files.readString(folder.resolve("reports/debian/results.json")))
                .contains("\"passed\": 7");
        assertThat(folder.resolve("reports/report.html")).content().contains("debian:bookworm");
    }

    @Test
    void aPatchOfNoKnownKindIsRefusedBeforeAnyGuestStarts() {
        CliRun run = check("patches/no_such_patch");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.errors())
                .contains("no_such_patch is neither a module source folder (as in patches/), a built .ko file nor a"
                        + " source diff (.patch or .diff): it does not exist.");
        assertThat(run.output()).doesNotContain("Running");
    }

    private CliRun check(String... arguments) {
        String[] all = Stream.concat(
                        Stream.of(
                                "check", "--reports", folder.resolve("reports").toString()),
                        Stream.of(arguments))
                .toArray(String[]::new);
        return CliRun.of(all);
    }
}
