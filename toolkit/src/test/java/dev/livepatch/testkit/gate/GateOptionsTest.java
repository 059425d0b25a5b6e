package dev.livepatch.testkit.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.config.SettingLayers;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.stall.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GateOptionsTest {
    @TempDir
    Path project;

    @Test
    void aPatchIsADiffAKoOrAFolderByWhatItIs() throws IOException {
        Path folder = Files.createDirectories(project.resolve("patches/fix"));

        assertThat(GatePatch.of(project.resolve("fix.patch"))).isInstanceOf(GatePatch.SourceDiff.class);
        assertThat(GatePatch.of(project.resolve("fix.diff"))).isInstanceOf(GatePatch.SourceDiff.class);
        assertThat(GatePatch.of(project.resolve("livepatch-fix.ko"))).isInstanceOf(GatePatch.ModuleFile.class);
        assertThat(GatePatch.of(folder)).isEqualTo(new GatePatch.ModuleFolder(folder));
        assertThatThrownBy(() -> GatePatch.of(project.resolve("fix.c")))
                .isInstanceOf(GateException.class)
                .hasMessage(project.resolve("fix.c") + " is neither a module source folder (as in patches/), a built"
                        + " .ko file nor a source diff (.patch or .diff): it does not exist.");
    }

    @Test
    void aWorkloadIsABuiltInByNameElseAShellCommand() {
        assertThat(Workload.builtIn()).containsExactly("cpu", "fork", "sleep", "io", "net");
        assertThat(Workload.of("sleep").command()).contains("sleep 1000000 &");
        assertThat(Workload.of("while :; do cat /proc/cmdline; done"))
                .isEqualTo(new Workload("while :; do cat /proc/cmdline; done", "while :; do cat /proc/cmdline; done"));
    }

    @Test
    void theSettingsDescribeTheGateWithModuleParametersAndFixturesFromThePatchesFolder() throws IOException {
        Files.createDirectories(project.resolve("patches/lpt_meminfo"));
        Files.createDirectories(project.resolve("patches/lpt_cmdline"));
        Files.createDirectories(project.resolve("patches/lpt_busy"));
        Map<String, String> settings = Map.of(
                Settings.PROJECT_DIR.name(), project.toString(),
                Settings.CHECK_PATCH.name(), "patches/lpt_meminfo:replace=1",
                Settings.CHECK_PREVIOUS.name(), "patches/lpt_cmdline",
                Settings.CHECK_FIXTURES.name(), "lpt_busy:block_transition=1",
                Settings.CHECK_COMMANDS.name(), "grep -q a /proc/meminfo\n\ngrep -q b,c /proc/cmdline",
                Settings.CHECK_WORKLOADS.name(), "cpu\nsleep",
                Settings.TRANSITION_TIMEOUT.name(), "PT30S");
        GateOptions options;
        try (SettingLayers.Layer layer = SettingLayers.push(name -> Optional.ofNullable(settings.get(name)))) {
            options = GateOptions.fromSettings();
        }

        assertThat(options.patch())
                .isEqualTo(new GateOptions.GateModule(
                        new GatePatch.ModuleFolder(project.resolve("patches/lpt_meminfo")), Map.of("replace", "1")));
        assertThat(options.previous())
                .contains(
                        GateOptions.GateModule.of(new GatePatch.ModuleFolder(project.resolve("patches/lpt_cmdline"))));
        assertThat(options.fixtures())
                .containsExactly(new GateOptions.GateModule(
                        new GatePatch.ModuleFolder(project.resolve("patches/lpt_busy")),
                        Map.of("block_transition", "1")));
        assertThat(options.checks()).containsExactly("grep -q a /proc/meminfo", "grep -q b,c /proc/cmdline");
        assertThat(options.workloads()).extracting(Workload::name).containsExactly("cpu", "sleep");
        assertThat(options.transitionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.bundles()).isEqualTo(project.resolve("stall-reports"));
    }

    @Test
    void aGateWithoutAPatchOrWithANonPositiveTimeoutIsRefused() {
        try (SettingLayers.Layer layer = SettingLayers.push(name -> Optional.empty())) {
            assertThatThrownBy(GateOptions::fromSettings)
                    .isInstanceOf(GateException.class)
                    .hasMessage("No livepatch to check: set livepatch.check.patch (./testkit check PATCH).");
        }
        GateOptions.GateModule patch = GateOptions.GateModule.of(new GatePatch.ModuleFolder(project));
        assertThatThrownBy(() -> new GateOptions(
                        patch, Optional.empty(), List.of(), List.of(), List.of(), Duration.ZERO, project))
                .isInstanceOf(GateException.class)
                .hasMessage("The transition timeout must be positive, not PT0S.");
    }
}
