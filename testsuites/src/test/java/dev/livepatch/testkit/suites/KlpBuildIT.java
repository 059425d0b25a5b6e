package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.module.ShippedModules;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.DiffOptions;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Livepatches made from source diffs by the kernel tree's own klp-build (Linux 6.19 and later), loaded into the
 * kernel built from that same tree: {@code ./testkit test --kernel source:debian:sid klp-build}.
 */
@Tag("klp-build")
@LivepatchTest
class KlpBuildIT {
    private static final String CMDLINE_ORIGINAL = "console=ttyS0";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private Livepatches livepatches;
    private PatchModules modules;
    private GuestShell shell;
    private Kernel kernel;

    @BeforeEach
    void connect(Livepatches livepatches, PatchModules modules, GuestShell shell, Kernel kernel) {
        assumeTrue(
                kernel.source().startsWith("source tree ")
                        && Files.isExecutable(kernel.buildDir().resolve("scripts/livepatch/klp-build")),
                "klp-build needs a kernel built from a Linux 6.19+ source tree (--kernel source:<tree>), not "
                        + kernel.source());
        this.livepatches = livepatches;
        this.modules = modules;
        this.shell = shell;
        this.kernel = kernel;
    }

    /** The repository's sample diffs, in {@code diffs/}; relative paths are taken from the project folder. */
    private static Path diff(String name) {
        return Path.of("diffs", name);
    }

    private static Path inProject(Path path) {
        return Settings.inProject(Settings.PROJECT_DIR.get(), path);
    }

    private Patch enable(BuiltModule module) {
        Patch patch = livepatches.load(module);
        patch.awaitTransition();
        return patch;
    }

    private void disable(Patch patch) {
        patch.disable();
        patch.awaitTransition();
        patch.unload();
    }

    private String run(String command) {
        ExecResult result = shell.exec(command, COMMAND_TIMEOUT);
        assertThat(result.succeeded())
                .as(command + ": " + result.stdout() + result.stderr())
                .isTrue();
        return result.stdout();
    }

    /** The number after {@code key=} in the first line of {@code file} that has one. */
    private long counter(String file, String key) {
        return livepatches
                .read(file)
                .lines()
                .filter(line -> line.contains(key + "="))
                .map(line -> line.substring(line.indexOf(key + "=") + key.length() + 1)
                        .split("\\D", 2)[0])
                .mapToLong(Long::parseLong)
                .findFirst()
                .orElseThrow(() -> new AssertionError("No " + key + "= in " + file));
    }

    private void assertGrows(String file, String key) {
        long first = counter(file, key);
        assertThat(counter(file, key))
                .as(key + " in " + file + " from one read to the next")
                .isGreaterThan(first);
    }

    private String kallsyms(String symbol) {
        return livepatches
                .read("/proc/kallsyms")
                .lines()
                .filter(line -> line.endsWith(" " + symbol) || line.contains(" " + symbol + "\t"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private String cmdline() {
        return livepatches.read("/proc/cmdline");
    }

    private String meminfo() {
        return livepatches.read("/proc/meminfo");
    }

    @Test
    void aDiffBecomesALivepatchNamedAfterIt() {
        BuiltModule module = modules.fromDiff(diff("cmdline.patch"));

        assertThat(module.ko().getFileName()).hasToString("livepatch-cmdline.ko");
        assertThat(module.modInfo().livepatch()).isTrue();
        Patch patch = enable(module);

        assertThat(patch.name()).isEqualTo("livepatch_cmdline");
        assertThat(cmdline()).startsWith("klp_build_cmdline: " + CMDLINE_ORIGINAL);
        assertThat(patch).isPresent().isEnabled();
        assertThat(meminfo()).startsWith("MemTotal:");
    }

    @Test
    void theSecondDiffReplacesTheFirstAndRevertsWhatOnlyTheFirstPatched() {
        enable(modules.fromDiff(diff("cmdline.patch")));

        Patch meminfo = enable(modules.fromDiff(diff("meminfo.patch")));

        assertThat(meminfo()).startsWith("klp_build_meminfo: this has been live patched");
        assertThat(cmdline()).startsWith(CMDLINE_ORIGINAL);
        assertThat(livepatches.stack()).hasOrder(meminfo.name());
    }

    @Test
    void withoutReplaceTheSecondDiffStacksOnTheFirst() {
        Patch cmdline = enable(modules.fromDiff(diff("cmdline.patch")));

        Patch meminfo = enable(modules.fromDiff(
                diff("meminfo.patch"),
                DiffOptions.defaults().named("meminfo_stacked").noReplace()));

        assertThat(meminfo.name()).isEqualTo("livepatch_meminfo_stacked");
        assertThat(meminfo()).startsWith("klp_build_meminfo: this has been live patched");
        assertThat(cmdline()).startsWith("klp_build_cmdline: ");
        assertThat(livepatches.stack()).hasOrder(cmdline.name(), meminfo.name());
        meminfo.disable();
        meminfo.awaitTransition();
        assertThat(meminfo()).startsWith("MemTotal:");
        assertThat(cmdline()).startsWith("klp_build_cmdline: ");
    }

    @Test
    void aDiffThatDoesNotApplyIsRefusedWithItsRejectedHunk(@TempDir Path folder) throws IOException {
        Path stale = Files.writeString(
                folder.resolve("stale.patch"),
                Files.readString(inProject(diff("cmdline.patch")))
                        .replace("seq_puts(m, saved_command_line);", "seq_puts(m, x);"));

        assertThatThrownBy(() -> modules.fromDiff(stale))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("does not apply to")
                .hasMessageContaining("FAILED")
                .hasMessageContaining("fs/proc/cmdline.c");
    }

    @Test
    void aDiffToCodeKlpBuildRefusesSaysWhich(@TempDir Path folder) throws IOException {
        Path library = Files.writeString(
                folder.resolve("library.patch"),
                "--- a/lib/string.c\n+++ b/lib/string.c\n@@ -1,1 +1,2 @@\n+/* a comment */\n"
                        + " // SPDX-License-Identifier: GPL-2.0\n");

        assertThatThrownBy(() -> modules.fromDiff(library))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("klp-build cannot livepatch lib/string.c");
    }

    @Test
    void aDiffThatChangesNoCodeSaysSo(@TempDir Path folder) throws IOException {
        Path comment = Files.writeString(
                folder.resolve("comment.patch"),
                Files.readString(inProject(diff("cmdline.patch")))
                        .replace(
                                "+\tseq_printf(m, \"klp_build_cmdline: %s\\n\", saved_command_line);\n",
                                "+\tseq_puts(m, saved_command_line); /* the command line */\n+\tseq_putc(m, '\\n');\n")
                        .replace("@@ -7,8 +7,7 @@", "@@ -7,8 +7,8 @@"));

        assertThatThrownBy(() -> modules.fromDiff(comment))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("found nothing to livepatch");
    }

    @Test
    void newStaticDataInThePatchedFunctionsFileComesWithThePatch() {
        Patch patch = enable(modules.fromDiff(diff("static-data.patch")));

        assertThat(livepatches.read("/proc/version")).contains("klp_static_data: this version has been live patched");
        disable(patch);
        assertThat(livepatches.read("/proc/version")).doesNotContain("klp_static_data");
    }

    @Test
    void aNewGlobalLivesInTheLivepatchModule() {
        enable(modules.fromDiff(diff("global.patch")));

        assertGrows("/proc/loadavg", "klp_global_reads");
        assertThat(kallsyms("klp_loadavg_reads")).contains("[livepatch_global]");
    }

    @Test
    void aNewFunctionIsCalledFromThePatchedOne() {
        enable(modules.fromDiff(diff("new-function.patch")));

        assertThat(livepatches.read("/proc/devices"))
                .startsWith("klp_new_function: these devices have been live patched\nCharacter devices:\n");
        assertThat(kallsyms("klp_devices_header")).contains("[livepatch_new_function]");
    }

    @Test
    void aShadowVariableExtendsALiveObjectAndIsFreedWithThePatch() {
        BuiltModule module = modules.fromDiff(diff("shadow.patch"));
        Patch patch = enable(module);

        long first = counter("/proc/uptime", "klp_shadow_reads");
        assertThat(counter("/proc/uptime", "klp_shadow_reads")).isEqualTo(first + 1);
        disable(patch);
        assertThat(livepatches.read("/proc/uptime")).doesNotContain("klp_shadow_reads");
        enable(module);
        assertThat(counter("/proc/uptime", "klp_shadow_reads"))
                .as("the post-unpatch callback freed the counters: a new patch starts from 1")
                .isEqualTo(1);
    }

    @Test
    void aSystemCallDefinedWithKlpSyscallDefineIsPatched() {
        Patch patch = enable(modules.fromDiff(diff("syscall.patch")));

        assertThat(run("uname -v")).startsWith("klp_syscall: uname has been live patched");
        assertThat(run("uname -r").strip()).isEqualTo(kernel.release());
        disable(patch);
        assertThat(run("uname -v")).doesNotContain("klp_syscall");
    }

    @Test
    void theCallbacksRunInTheKernelsOrderAroundEachTransition() {
        Patch patch = enable(modules.fromDiff(diff("callbacks.patch")));

        assertThat(callbackLines()).containsExactly("klp_callbacks: pre_patch vmlinux", "klp_callbacks: post_patch");
        assertThat(livepatches.read("/proc/softirqs")).startsWith("klp_callbacks: the post-patch callback has run\n");
        patch.disable();
        patch.awaitTransition();
        assertThat(callbackLines())
                .containsExactly(
                        "klp_callbacks: pre_patch vmlinux",
                        "klp_callbacks: post_patch",
                        "klp_callbacks: pre_unpatch",
                        "klp_callbacks: post_unpatch");
        assertThat(livepatches.read("/proc/softirqs")).doesNotContain("klp_callbacks");
    }

    /** The callbacks' lines in the kernel log since the patch's module was loaded, in the kernel's order. */
    private List<String> callbackLines() {
        return livepatches.kernelLog().since("% insmod livepatch-callbacks.ko").lines().stream()
                .filter(line -> line.startsWith("klp_callbacks:"))
                .toList();
    }

    @Test
    void aNewStaticLocalKeepsItsValueBetweenCalls() {
        enable(modules.fromDiff(diff("static-local.patch")));

        assertGrows("/proc/consoles", "klp_static_local");
        assertThat(livepatches.read("/proc/consoles"))
                .as("the flags still come from the original's static table")
                .containsPattern("ttyS0 .*\\(EC");
    }

    @Test
    void aModulesFunctionIsPatchedWhetherTheModuleComesBeforeOrAfterThePatch() {
        BuiltModule module = modules.fromDiff(diff("module.patch"));
        Path binfmtMisc =
                new ShippedModules(kernel, Cache.standard()).find("binfmt_misc").path();

        livepatches.loadModule(binfmtMisc);
        run("mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc");
        assertThat(livepatches.read("/proc/sys/fs/binfmt_misc/status")).isEqualTo("enabled\n");
        Patch patch = enable(module);
        assertThat(livepatches.read("/proc/sys/fs/binfmt_misc/status"))
                .isEqualTo("enabled (klp_module: live patched)\n");

        disable(patch);
        run("umount /proc/sys/fs/binfmt_misc");
        livepatches.unloadModule("binfmt_misc");
        enable(module);
        livepatches.loadModule(binfmtMisc);
        run("mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc");
        assertThat(livepatches.read("/proc/sys/fs/binfmt_misc/status"))
                .as("patched as it loads, after the patch")
                .isEqualTo("enabled (klp_module: live patched)\n");
    }

    @Test
    void aDiffOfWhitespaceIsRefusedBeforeAnyBuild() {
        assertThatThrownBy(() -> modules.fromDiff(diff("refused/whitespace.patch")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("changes only whitespace (in fs/proc/cmdline.c), so no object can change");
    }

    @Test
    void aDiffOfAFileThisConfigurationDoesNotBuildNamesItAndTheOptionThatWould() {
        assertThatThrownBy(() -> modules.fromDiff(diff("refused/unbuilt.patch")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("changes a file that this kernel's configuration does not build")
                .hasMessageContaining("  fs/btrfs/super.c: CONFIG_BTRFS_FS would build it (unset in .config)");
    }

    @Test
    void besideABuiltFileAnUnbuiltOneIsRefusedNeverLeftOut() {
        assertThatThrownBy(() -> modules.fromDiff(diff("refused/unbuilt-beside-built.patch")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("  fs/btrfs/super.c: CONFIG_BTRFS_FS would build it")
                .hasMessageNotContaining("fs/proc/cmdline.c");
    }

    @Test
    void aDiffThatChangesAnExportedSymbolsCrcIsRefused() {
        assumeTrue(
                kernelConfig().contains("\nCONFIG_MODVERSIONS=y\n"),
                "symbol CRCs exist only with CONFIG_MODVERSIONS, which this kernel's configuration leaves unset");
        assertThatThrownBy(() -> modules.fromDiff(diff("refused/crc.patch")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("changes the type of")
                .hasMessageContaining("proc_create (vmlinux): 0x")
                .hasMessageContaining("keep any new state in a shadow variable");
    }

    private String kernelConfig() {
        try {
            return Files.readString(kernel.config());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
