package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.TempDir;

/** The API against a real guest, with the kernel's own livepatch test modules (not the project's patches). */
@Tag("qemu")
class LivepatchIT {
    private static final Duration TRANSITION = Duration.ofSeconds(30);
    private static final String PATCHED = "test_klp_livepatch: this has been live patched";

    @TempDir
    static Path staging;

    static Kernel kernel;
    static Map<String, Path> modules;
    static Guest guest;

    Livepatches livepatches;

    @BeforeAll
    static void startGuest() {
        QemuPrerequisite.require();
        kernel = Kernels.resolve("debian", Cache.standard(), Progress.silent());
        modules = KernelTestModules.build(
                kernel,
                staging,
                Map.of(
                        "test_klp_livepatch", PatchKind.LIVEPATCH,
                        "test_klp_callbacks_demo", PatchKind.LIVEPATCH,
                        "test_klp_callbacks_busy", PatchKind.FIXTURE));
        GuestImage image = GuestImages.standard(Progress.silent()).build("minimal", kernel);
        guest = Guests.start(kernel, image, Machine.defaults().withCpus(1), Progress.silent());
    }

    @AfterAll
    static void stopGuest() {
        if (guest != null) {
            guest.close();
        }
    }

    @BeforeEach
    void pristineGuest() {
        guest.reset();
        livepatches = Livepatches.on(guest.shell());
    }

    @Test
    void theTestPatchChangesCmdlineTaintsTheKernelAndIsFreedWhenDisabled(TestReporter reporter) {
        Patch patch = livepatches.load(modules.get("test_klp_livepatch"));
        Operation transition = patch.awaitTransition(TRANSITION);

        assertThat(patch.name()).isEqualTo("test_klp_livepatch");
        Operation loading = patch.loading().orElseThrow();
        assertThat(loading.kernelLog().lines())
                .startsWith("% insmod test_klp_livepatch.ko")
                .contains("test_klp_livepatch: tainting kernel with TAINT_LIVEPATCH");
        assertThat(loading.kernelLog().livepatchLines())
                .startsWith("% insmod test_klp_livepatch.ko", "livepatch: enabling patch 'test_klp_livepatch'");
        assertThat(transition.kernelLog().livepatchLines())
                .containsSubsequence(
                        "% insmod test_klp_livepatch.ko",
                        "livepatch: 'test_klp_livepatch': initializing patching transition",
                        "livepatch: 'test_klp_livepatch': starting patching transition",
                        "livepatch: 'test_klp_livepatch': completing patching transition",
                        "livepatch: 'test_klp_livepatch': patching complete");
        assertThat(livepatches.read("/proc/cmdline")).contains(PATCHED);

        long start = System.nanoTime();
        List<PatchState> stack = livepatches.patches();
        Duration stateRead = Duration.ofNanos(System.nanoTime() - start);
        assertThat(stack).singleElement().satisfies(state -> {
            assertThat(state.name()).isEqualTo("test_klp_livepatch");
            assertThat(state.enabled()).isTrue();
            assertThat(state.inTransition()).isFalse();
            assertThat(state.replace()).as("replace appeared in 6.11").isEmpty();
            assertThat(state.stackOrder()).as("stack_order appeared in 6.13").isEmpty();
            assertThat(state.objects()).singleElement().satisfies(object -> {
                assertThat(object.name()).isEqualTo("vmlinux");
                assertThat(object.patched()).contains(true);
                assertThat(object.functions()).containsExactly(new PatchedFunction("cmdline_proc_show", 1));
            });
        });
        Taint taint = livepatches.taint();
        assertThat(taint.flags()).contains(TaintFlag.LIVEPATCH, TaintFlag.OOT_MODULE, TaintFlag.UNSIGNED_MODULE);
        assertThat(taint.letters()).contains("K");
        assertThat(livepatches.refcount("test_klp_livepatch")).isEqualTo(OptionalInt.of(1));
        assertThatThrownBy(patch::unload)
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith("'rmmod test_klp_livepatch' failed for test_klp_livepatch: ")
                .hasMessageContaining("disable the patch first");

        Operation disabling = patch.disable();
        Operation unpatched = patch.awaitTransition(TRANSITION);

        assertThat(disabling.kernelLog().lines())
                .startsWith("% echo 0 > /sys/kernel/livepatch/test_klp_livepatch/enabled");
        assertThat(unpatched.kernelLog().livepatchLines())
                .containsSubsequence(
                        "livepatch: 'test_klp_livepatch': initializing unpatching transition",
                        "livepatch: 'test_klp_livepatch': unpatching complete");
        assertThat(patch.state()).isEmpty();
        assertThat(guest.shell()
                        .exec("test -d /sys/kernel/livepatch/test_klp_livepatch", TRANSITION)
                        .exitCode())
                .isOne();
        assertThat(livepatches.read("/proc/cmdline")).doesNotContain(PATCHED);

        Operation unloading = patch.unload();

        assertThat(unloading.kernelLog().lines()).startsWith("% rmmod test_klp_livepatch");
        assertThat(livepatches.refcount("test_klp_livepatch")).isEmpty();
        reporter.publishEntry(Map.of(
                "load to transition done", Durations.format(loading.duration().plus(transition.duration())),
                "disable to patch freed", Durations.format(disabling.duration().plus(unpatched.duration())),
                "full state read", Durations.format(stateRead)));
    }

    @Test
    void aStalledTransitionRefusesAnotherPatchNamesItsBlockerAndCanBeReversed() {
        livepatches.loadModule(modules.get("test_klp_callbacks_busy"), Map.of("block_transition", "Y"));
        livepatches.traceTaskSwitching(true);
        Patch stalled = livepatches.load(modules.get("test_klp_callbacks_demo"));

        assertThatThrownBy(() -> livepatches.load(modules.get("test_klp_livepatch")))
                .isInstanceOfSatisfying(LivepatchException.class, refused -> {
                    assertThat(refused.errno()).contains("Device or resource busy");
                    assertThat(refused.subject()).isEqualTo("test_klp_livepatch");
                    assertThat(refused.kernelLog().lines()).first().isEqualTo("% insmod test_klp_livepatch.ko");
                    assertThat(refused.kernelLog().lines()).noneMatch(line -> line.contains("enabling patch"));
                })
                .hasMessageStartingWith("'insmod test_klp_livepatch.ko' failed for test_klp_livepatch: ")
                .hasMessageContaining("Device or resource busy\nAnother patch is in transition");
        assertThatThrownBy(() -> stalled.awaitTransition(Duration.ofSeconds(3)))
                .isInstanceOfSatisfying(
                        TransitionTimeoutException.class,
                        timeout -> assertThat(timeout.blockers())
                                .singleElement()
                                .satisfies(blocker -> {
                                    assertThat(blocker.comm()).startsWith("kworker/");
                                    assertThat(blocker.patchState()).isZero();
                                    assertThat(blocker.reason()).contains("is sleeping on function busymod_work_func");
                                    assertThat(blocker.stack()).anyMatch(frame -> frame.contains("busymod_work_func"));
                                }))
                .hasMessageStartingWith("Timed out waiting for the patching transition of patch"
                        + " 'test_klp_callbacks_demo' to finish after 3 s; last seen: transition=1 enabled=1;"
                        + " 1 task(s) not switched yet:");

        Operation reversal = stalled.reverse();
        Operation reversed = stalled.awaitTransition(TRANSITION);

        assertThat(reversal.command()).isEqualTo("echo 0 > /sys/kernel/livepatch/test_klp_callbacks_demo/enabled");
        assertThat(reversed.kernelLog().livepatchLines())
                .contains(
                        "livepatch: 'test_klp_callbacks_demo': reversing transition from patching to unpatching",
                        "livepatch: 'test_klp_callbacks_demo': unpatching complete");
        assertThat(stalled.state()).isEmpty();
        assertThat(livepatches.blockers()).isEmpty();
    }

    @Test
    void aModuleBuiltForAnotherKernelIsRefusedBeforeItIsCopied() throws IOException {
        Path other = Files.createDirectories(staging.resolve("other-kernel")).resolve("test_klp_livepatch.ko");
        String otherRelease = kernel.release().replaceFirst("-\\d\\d-", "-99-");
        Files.write(other, withVermagic(Files.readAllBytes(modules.get("test_klp_livepatch")), otherRelease));

        assertThatThrownBy(() -> livepatches.load(other))
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith("'insmod test_klp_livepatch.ko' failed for test_klp_livepatch: the module was"
                        + " built for kernel " + otherRelease + " (vermagic '" + otherRelease)
                .hasMessageContaining("but the guest runs kernel " + kernel.release() + ", which would refuse it");
        assertThat(guest.shell().exec("ls -R /tmp/lpt-modules", TRANSITION).stdout())
                .doesNotContain(".ko");
        assertThat(livepatches.patches()).isEmpty();
    }

    private static byte[] withVermagic(byte[] module, String release) {
        byte[] wanted = ("vermagic=" + kernel.release() + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] replacement = ("vermagic=" + release + " ").getBytes(StandardCharsets.US_ASCII);
        assertThat(replacement).hasSameSizeAs(wanted);
        String text = new String(module, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(new String(wanted, StandardCharsets.ISO_8859_1));
        assertThat(at).as("vermagic in .modinfo").isNotNegative();
        byte[] copy = module.clone();
        System.arraycopy(replacement, 0, copy, at, replacement.length);
        return copy;
    }
}
