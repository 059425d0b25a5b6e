package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.junit.LivepatchTest;
import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.livepatch.LivepatchException;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Operation;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.livepatch.PatchState;
import dev.livepatch.testkit.livepatch.TaintFlag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** What the livepatch core does when patches are stacked, replaced, disabled, reversed and forced. */
@Tag("atomic-replace")
@LivepatchTest
class AtomicReplaceIT {
    /** How the kernel's own command line starts, whatever the architecture's console (ttyS0, ttyAMA0...). */
    private static final String CMDLINE_ORIGINAL = "console=";

    private static final Duration STALL = Duration.ofSeconds(3);

    private Livepatches livepatches;
    private PatchModules modules;

    @BeforeEach
    void connect(Livepatches livepatches, PatchModules modules) {
        this.livepatches = livepatches;
        this.modules = modules;
    }

    private Path ko(String module) {
        return modules.build(module).ko();
    }

    private Patch enable(String module, Map<String, String> parameters) {
        Patch patch = livepatches.load(ko(module), parameters);
        patch.awaitTransition();
        return patch;
    }

    private Patch enable(String module) {
        return enable(module, Map.of());
    }

    private String cmdline() {
        return livepatches.read("/proc/cmdline");
    }

    private String meminfo() {
        return livepatches.read("/proc/meminfo");
    }

    /** lpt_busy's worker sleeps inside lpt_busy_work_func, which lpt_callbacks patches: the transition stalls. */
    private Patch stalledPatch(Map<String, String> parameters) {
        livepatches.loadModule(ko("lpt_busy"), Map.of("block_transition", "1"));
        Patch patch = livepatches.load(ko("lpt_callbacks"), parameters);
        assertThat(patch).isPresent().isInTransition();
        assertThatThrownBy(() -> patch.awaitTransition(STALL))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("lpt_busy_work_func");
        return patch;
    }

    @Test
    void aReplacePatchRevertsFunctionsPatchedOnlyByOlderPatches() {
        enable("lpt_cmdline");
        assertThat(cmdline()).startsWith("lpt_cmdline: this has been live patched");

        enable("lpt_meminfo", Map.of("replace", "1"));

        assertThat(meminfo()).startsWith("lpt_meminfo: this has been live patched");
        assertThat(cmdline()).startsWith(CMDLINE_ORIGINAL);
        assertThat(livepatches.stack()).hasOrder("lpt_meminfo");
    }

    @Test
    void aNonReplacePatchStacksOnTopOfTheOthers() {
        enable("lpt_cmdline");
        enable("lpt_meminfo", Map.of("replace", "0"));

        assertThat(cmdline()).startsWith("lpt_cmdline: this has been live patched");
        assertThat(meminfo()).startsWith("lpt_meminfo: this has been live patched");
        assertThat(livepatches.stack()).hasOrder("lpt_cmdline", "lpt_meminfo").hasOnTop("lpt_meminfo");
    }

    @Test
    void replacedPatchesLeaveSysfsGetNoUnpatchCallbacksAndStayLoadedUntilRemoved() {
        enable("lpt_callbacks");
        Patch replacement = livepatches.load(ko("lpt_callbacks2"), Map.of("replace", "1"));
        Operation replaced = replacement.awaitTransition();

        assertThat(KernelLines.of(replaced))
                .contains(
                        "lpt_callbacks2: post_patch_callback: vmlinux",
                        "livepatch: 'lpt_callbacks2': patching complete")
                .noneMatch(line -> line.startsWith("lpt_callbacks: "));
        assertThat(livepatches.stack()).hasOrder("lpt_callbacks2");
        assertThat(livepatches.refcount("lpt_callbacks")).hasValue(0);

        Operation removal = livepatches.unloadModule("lpt_callbacks");
        assertThat(KernelLines.of(removal)).containsExactly("% rmmod lpt_callbacks");
        assertThat(livepatches.refcount("lpt_callbacks")).isEmpty();
    }

    @Test
    void theReplaceAttributeShowsWhichPatchesAreAtomicReplaces() {
        Patch stacked = enable("lpt_cmdline");
        assumeTrue(
                stacked.state().flatMap(PatchState::replace).isPresent(),
                "this kernel has no /sys/kernel/livepatch/<patch>/replace attribute (it arrived in Linux 6.11)");
        assertThat(stacked).isPresent().isNotReplacePatch();

        Patch replacing = enable("lpt_meminfo", Map.of("replace", "1"));

        assertThat(replacing).isPresent().isReplacePatch();
        assertThat(livepatches.stack()).hasOrder("lpt_meminfo");
    }

    @Test
    void stackOrderFollowsLoadOrderAndIsRenumberedWhenAPatchLeaves() {
        Patch first = enable("lpt_cmdline");
        assumeTrue(
                first.state().flatMap(PatchState::stackOrder).isPresent(),
                "this kernel has no /sys/kernel/livepatch/<patch>/stack_order attribute (it arrived in Linux 6.14)");
        Patch second = enable("lpt_meminfo");
        enable("lpt_cmdline2");
        assertThat(livepatches.stack()).hasStackOrder("lpt_cmdline", "lpt_meminfo", "lpt_cmdline2");

        second.disable();
        second.awaitTransition();

        assertThat(second).isGone();
        assertThat(livepatches.stack()).hasStackOrder("lpt_cmdline", "lpt_cmdline2");
    }

    @Test
    void onOneFunctionTheNewestPatchWinsAndDisablingALowerOneKeepsTheTop() {
        Patch lower = enable("lpt_cmdline");
        Patch upper = enable("lpt_cmdline2");
        assertThat(cmdline()).startsWith("lpt_cmdline2: this has been live patched");
        assertThat(livepatches.stack()).hasFunctionOwner("vmlinux", "cmdline_proc_show", "lpt_cmdline2");

        lower.disable();
        lower.awaitTransition();
        assertThat(cmdline()).startsWith("lpt_cmdline2: this has been live patched");
        lower.unload();

        Patch reloaded = enable("lpt_cmdline");
        assertThat(cmdline()).startsWith("lpt_cmdline: this has been live patched");

        reloaded.disable();
        reloaded.awaitTransition();
        assertThat(cmdline()).startsWith("lpt_cmdline2: this has been live patched");
        upper.disable();
        upper.awaitTransition();
        assertThat(cmdline()).startsWith(CMDLINE_ORIGINAL);
    }

    @Test
    void aDisabledPatchCannotBeReenabledAndMustBeReloaded() {
        Patch patch = enable("lpt_cmdline");
        patch.disable();
        patch.awaitTransition();
        assertThat(patch).isGone();
        assertThat(livepatches.refcount("lpt_cmdline")).hasValue(0);

        patch.unload();
        enable("lpt_cmdline");
        assertThat(cmdline()).startsWith("lpt_cmdline: this has been live patched");
    }

    @Test
    void loadingALivepatchDuringATransitionFailsWithEbusyAndNoLivepatchLine() {
        stalledPatch(Map.of());

        assertThatThrownBy(() -> livepatches.load(ko("lpt_cmdline")))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("Device or resource busy")
                .satisfies(error -> assertThat(
                                ((LivepatchException) error).kernelLog().lines())
                        .noneMatch(line -> line.contains("livepatch:")));
        assertThat(livepatches.stack()).hasOrder("lpt_callbacks");
    }

    @Test
    void reversingAStalledPatchingTransitionUnpatches() {
        Patch patch = stalledPatch(Map.of());

        patch.reverse();
        Operation reversal = patch.awaitTransition();

        assertThat(KernelLines.of(reversal))
                .contains(
                        "livepatch: 'lpt_callbacks': reversing transition from patching to unpatching",
                        "livepatch: 'lpt_callbacks': starting unpatching transition",
                        "livepatch: 'lpt_callbacks': unpatching complete")
                .noneMatch(line -> line.contains("pre_unpatch_callback"));
        assertThat(patch).isGone();
        patch.unload();
    }

    @Test
    void forcingAStalledPatchingTransitionCompletesItWithoutPinningTheModule() {
        Patch patch = stalledPatch(Map.of());

        Operation force = patch.force();
        patch.awaitTransition();

        assertThat(KernelLines.of(force)).contains("livepatch: forcing remaining tasks to the patched state");
        assertThat(patch).isPresent().isNotInTransition();
        patch.disable();
        patch.awaitTransition();
        assertThat(livepatches.refcount("lpt_callbacks")).hasValue(0);
        patch.unload();
    }

    @Test
    void aForcedReplacePinsTheReplacedModuleForGood() {
        enable("lpt_cmdline");
        Patch replacement = stalledPatch(Map.of("replace", "1"));

        replacement.force();
        replacement.awaitTransition();

        assertThat(livepatches.stack()).hasOrder("lpt_callbacks");
        assertThat(livepatches.refcount("lpt_cmdline")).hasValue(1);
        assertThatThrownBy(() -> livepatches.unloadModule("lpt_cmdline"))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("lpt_cmdline");
    }

    @Test
    void writingForceOrTheCurrentEnabledValueOutsideATransitionIsEinval() {
        Patch patch = enable("lpt_cmdline");

        assertThatThrownBy(patch::force)
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("Invalid argument");
        assertThatThrownBy(patch::reverse)
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("not in transition");
        assertThatThrownBy(patch::enable)
                .isInstanceOf(LivepatchException.class)
                .satisfies(error ->
                        assertThat(((LivepatchException) error).errno()).hasValue("Invalid argument"));
        assertThat(patch).isPresent().isEnabled();
    }

    @Test
    void aFixtureUnblockedThroughItsParameterLetsTheStalledTransitionFinish() {
        Patch patch = stalledPatch(Map.of());
        assertThat(livepatches.blockers())
                .as("the kernel's reasons, without traceTaskSwitching")
                .anySatisfy(blocker -> assertThat(blocker.reason())
                        .get()
                        .asString()
                        .contains("is sleeping on function lpt_busy_work_func"));

        livepatches.setModuleParameter("lpt_busy", "block_transition", "0");
        patch.awaitTransition();
        assertThat(patch).isPresent().isNotInTransition();

        patch.disable();
        patch.awaitTransition();
        livepatches.awaitRefcount("lpt_callbacks", 0, Duration.ofSeconds(10));
        patch.unload();
        assertThatThrownBy(() -> livepatches.awaitRefcount("lpt_callbacks", 0, Duration.ofMillis(200)))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("last seen: the module is not loaded");
        assertThatThrownBy(() -> livepatches.setModuleParameter("lpt_busy", "no_such_parameter", "1"))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("no such file");
    }

    @Test
    void aLivepatchTaintsTheKernel() {
        assertThat(livepatches.taint()).doesNotHave(TaintFlag.LIVEPATCH);
        enable("lpt_cmdline");
        assertThat(livepatches.taint()).has(TaintFlag.LIVEPATCH);
        assertThat(livepatches.refcount("lpt_cmdline")).hasValue(1);
    }
}
