package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.guest.GuestLibrary;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadingTest {
    private static final String CMDLINE_PATCH = "fake_livepatch lpt_cmdline 0 vmlinux cmdline_proc_show,1\n"
            + "kmsg \"livepatch: 'lpt_cmdline': completing patching transition\"\n"
            + "kmsg \"livepatch: 'lpt_cmdline': patching complete\"";

    @TempDir
    Path folder;

    FakeKernel kernel;
    Livepatches livepatches;

    @BeforeEach
    void fakeGuest() {
        kernel = new FakeKernel(folder);
        livepatches = kernel.livepatches();
    }

    @Test
    void loadWritesAMarkerInsertsTheModuleAndReturnsTheKernelLogFromTheMarkerOn() {
        Path ko = kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH);

        Patch patch = livepatches.load(ko);

        assertThat(patch.name()).isEqualTo("lpt_cmdline");
        assertThat(patch.module()).isEqualTo("lpt_cmdline");
        Operation loading = patch.loading().orElseThrow();
        assertThat(loading.command()).isEqualTo("insmod lpt_cmdline.ko");
        assertThat(loading.kernelLog().lines())
                .containsExactly(
                        "% insmod lpt_cmdline.ko",
                        "livepatch: enabling patch 'lpt_cmdline'",
                        "livepatch: 'lpt_cmdline': initializing patching transition",
                        "livepatch: 'lpt_cmdline': starting patching transition",
                        "livepatch: 'lpt_cmdline': completing patching transition",
                        "livepatch: 'lpt_cmdline': patching complete");
        assertThat(loading.kernelLog().timeBetween("starting patching", "patching complete"))
                .contains(Duration.ofSeconds(2).plusMillis(2));
        assertThat(patch.state())
                .hasValueSatisfying(state -> assertThat(state.enabled()).isTrue());
    }

    @Test
    void klibcsInsmodIsPreferredAndItsRefusalReadsAsKmodsWould() throws Exception {
        Path ko = kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH);
        Path klibc = Files.createDirectories(kernel.root().resolve("no-klibc"));
        Path insmod = klibc.resolve("insmod");
        Files.writeString(insmod, "#!/bin/sh\necho \"insmod: error inserting '$1': -1 File exists\"\nexit 1\n");
        Files.setPosixFilePermissions(insmod, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> livepatches.load(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining("insmod: ERROR: could not insert module ")
                .hasMessageEndingWith("lpt_cmdline.ko: File exists\nA module of that name is already loaded; unload it"
                        + " first.\nKernel log:\n  [    2.002000] % insmod lpt_cmdline.ko")
                .extracting(e -> ((LivepatchException) e).errno())
                .isEqualTo(Optional.of("File exists"));
    }

    @Test
    void aGuestWithoutKmodIsRefusedBeforeTheKernelSeesTheModule() throws Exception {
        Path ko = kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH);
        Path insmod = folder.resolve("bin/insmod");
        Files.delete(insmod);
        Files.createSymbolicLink(insmod, Path.of("busybox"));

        assertThatThrownBy(() -> livepatches.load(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining(
                        "'insmod lpt_cmdline.ko' failed for lpt_cmdline: the guest has neither klibc's insmod nor kmod's")
                .hasMessageContaining("Add klibc-utils or kmod to the packages of the guest image's recipe");
        assertThat(kernel.file("/dev/kmsg")).doesNotContain("% insmod");
        assertThat(livepatches.stack().patches()).isEmpty();
    }

    @Test
    void aModuleTravelsWithItsFirstLoadOnlyAndEachLoadIsOneCommand() throws Exception {
        Path ko = kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH);
        livepatches.load(ko);
        assertThat(kernel.shell().commands()).hasSize(1);
        kernel.write("/sys/kernel/livepatch/lpt_cmdline/enabled", "0\n");
        kernel.write("/sys/module/lpt_cmdline/refcnt", "0\n");
        livepatches.unloadModule("lpt_cmdline");
        int before = kernel.shell().commands().size();

        livepatches.load(ko);

        assertThat(kernel.shell().commands()).hasSize(before + 1);
        assertThat(kernel.shell().inputs()).as("bytes sent with each command").containsExactly((int) Files.size(ko));
        assertThat(kernel.shell().uploads()).isEmpty();
        assertThat(copies()).singleElement().satisfies(copy -> {
            assertThat(copy.toString()).matches(".*/tmp/lpt-modules/[0-9a-f]{16}/lpt_cmdline\\.ko");
            assertThat(copy).hasSameBinaryContentAs(ko);
        });
    }

    private List<Path> copies() throws IOException {
        Path folder = kernel.root().resolve("tmp/lpt-modules");
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aGuestWithoutTheLibraryGetsACopyOnceAndTheCallIsRepeated() throws Exception {
        Files.delete(kernel.root().resolve(GuestLibrary.LIVEPATCH.imagePath().substring(1)));
        Path ko = kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH);

        Patch patch = livepatches.load(ko);
        livepatches.stack();

        Path copy = kernel.root().resolve(GuestLibrary.LIVEPATCH.copyPath().substring(1));
        assertThat(copy).hasBinaryContent(GuestLibrary.LIVEPATCH.content());
        assertThat(kernel.shell().uploads()).containsExactly(copy.toString());
        assertThat(kernel.shell().commands()).hasSize(3);
        assertThat(patch.loading().orElseThrow().kernelLog().lines()).first().isEqualTo("% insmod lpt_cmdline.ko");
    }

    @Test
    void aCopyTheGuestLostIsSentAgain() throws Exception {
        Path ko = kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH);
        livepatches.load(ko);
        kernel.write("/sys/kernel/livepatch/lpt_cmdline/enabled", "0\n");
        kernel.write("/sys/module/lpt_cmdline/refcnt", "0\n");
        livepatches.unloadModule("lpt_cmdline");
        Files.delete(copies().get(0));

        Patch patch = livepatches.load(ko);

        int size = (int) Files.size(ko);
        assertThat(kernel.shell().inputs()).as("bytes sent with each command").containsExactly(size, size);
        assertThat(copies()).hasSize(1);
        assertThat(patch.loading().orElseThrow().kernelLog().lines()).contains("% insmod lpt_cmdline.ko");
    }

    @Test
    void parametersAreSortedOnTheCommandLineAndInTheMarkerAndQuotedForTheShell() {
        Path ko =
                kernel.module(folder, "lpt_params.ko", "fake_livepatch lpt_params 0 vmlinux f,1\nkmsg \"params: $*\"");

        Operation loading = livepatches
                .load(ko, Map.of("replace", "1", "banner", "it's live"))
                .loading()
                .orElseThrow();

        assertThat(loading.command()).isEqualTo("insmod lpt_params.ko banner=it's live replace=1");
        assertThat(loading.kernelLog().lines()).contains("params: banner=it's live replace=1");
    }

    @Test
    void aRefusedLoadNamesThePatchTheCommandTheErrnoAndWhatToDo() {
        Path ko = kernel.module(folder, "lpt_busy.ko", "fail 'Device or resource busy'");

        assertThatThrownBy(() -> livepatches.load(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith(
                        "'insmod lpt_busy.ko' failed for lpt_busy: insmod: ERROR: could not insert module")
                .hasMessageContaining("Device or resource busy\nAnother patch is in transition")
                .hasMessageContaining("Kernel log:\n  [")
                .hasMessageContaining("% insmod lpt_busy.ko")
                .satisfies(thrown -> {
                    LivepatchException failure = (LivepatchException) thrown;
                    assertThat(failure.errno()).contains("Device or resource busy");
                    assertThat(failure.subject()).isEqualTo("lpt_busy");
                    assertThat(failure.kernelLog().lines()).containsExactly("% insmod lpt_busy.ko");
                });
    }

    @Test
    void aModuleWithoutLivepatchYIsRefusedBeforeTheGuestSeesIt() {
        Path ko = kernel.module(folder, "lpt_fixture.ko", "fake_module lpt_fixture 0");

        assertThatThrownBy(() -> livepatches.load(ko, Map.of("replace", "1")))
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'insmod lpt_fixture.ko replace=1' failed for lpt_fixture: the module is not a livepatch"
                        + " (its .modinfo lacks livepatch=Y); load it with loadModule()");
        assertThat(kernel.shell().commands()).isEmpty();
        assertThat(kernel.shell().uploads()).isEmpty();
    }

    @Test
    void aLivepatchIsRefusedAsAPlainModuleBeforeTheGuestSeesIt() {
        Path ko = kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH);

        assertThatThrownBy(() -> livepatches.loadModule(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'insmod lpt_cmdline.ko' failed for lpt_cmdline: the module is a livepatch (livepatch=Y);"
                        + " load it with load() to get a handle on the patch");
        assertThat(kernel.shell().commands()).isEmpty();
    }

    @Test
    void aModuleClaimingLivepatchYThatMakesNoPatchIsUnloadedAgain() {
        Path ko = kernel.module(
                folder,
                "lpt_fixture.ko",
                Map.of("vermagic", FakeKernel.VERMAGIC, "livepatch", "Y"),
                "fake_module lpt_fixture 0\nkmsg 'lpt_fixture: init'");

        assertThatThrownBy(() -> livepatches.load(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith("'insmod lpt_fixture.ko' failed for lpt_fixture: the module loaded but"
                        + " /sys/kernel/livepatch/lpt_fixture did not appear, so it is not a livepatch although its"
                        + " .modinfo says livepatch=Y. It was unloaded again.")
                .hasMessageContaining("lpt_fixture: init");
        assertThat(kernel.exists("/sys/module/lpt_fixture")).isFalse();
    }

    @Test
    void aModuleBuiltForAnotherKernelIsRefusedBeforeItIsKeptNamingBothReleases() throws IOException {
        Path ko = kernel.module(
                folder,
                "lpt_old.ko",
                Map.of("name", "lpt_old", "vermagic", "5.10.0-30-amd64 SMP mod_unload modversions ", "livepatch", "Y"),
                "fake_livepatch lpt_old 0 vmlinux f,1");

        assertThatThrownBy(() -> livepatches.load(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'insmod lpt_old.ko' failed for lpt_old: the module was built for kernel 5.10.0-30-amd64"
                        + " (vermagic '5.10.0-30-amd64 SMP mod_unload modversions'), but the guest runs kernel "
                        + FakeKernel.RELEASE + ", which would refuse it. Rebuild it against " + FakeKernel.RELEASE
                        + "'s headers, or boot kernel 5.10.0-30-amd64.");
        assertThat(kernel.shell().commands()).hasSize(1);
        assertThat(copies()).isEmpty();
        assertThat(kernel.file("/dev/kmsg")).doesNotContain("insmod");
    }

    @Test
    void aModuleWithoutVermagicIsRefusedBeforeItIsKept() throws IOException {
        Path ko =
                kernel.module(folder, "lpt_bare.ko", Map.of("livepatch", "Y"), "fake_livepatch lpt_bare 0 vmlinux f,1");

        assertThatThrownBy(() -> livepatches.load(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'insmod lpt_bare.ko' failed for lpt_bare: the module has no vermagic, so kernel "
                        + FakeKernel.RELEASE + " would refuse it; rebuild it with kbuild against "
                        + FakeKernel.RELEASE + "'s headers");
        assertThat(copies()).isEmpty();
        assertThat(kernel.file("/dev/kmsg")).doesNotContain("insmod");
    }

    @Test
    void aFileThatIsNotAnElfModuleIsRefused() throws Exception {
        Path ko = folder.resolve("notes.ko");
        Files.writeString(ko, "not a module\n");

        assertThatThrownBy(() -> livepatches.load(ko))
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith(
                        "'insmod notes.ko' failed for notes.ko: " + ko + " is not a readable kernel" + " module (ELF)");
        assertThat(kernel.shell().commands()).isEmpty();
    }

    @Test
    void fixtureModulesLoadAndUnloadWithTheirOwnMarkers() {
        Path ko = kernel.module(folder, "lpt-fixture.ko", "fake_module lpt_fixture 0\nkmsg 'lpt_fixture: init'");

        Operation loaded = livepatches.loadModule(ko, Map.of("block_transition", "Y"));
        Operation unloaded = livepatches.unloadModule("lpt_fixture");

        assertThat(loaded.subject()).isEqualTo("lpt_fixture");
        assertThat(loaded.kernelLog().lines())
                .containsExactly("% insmod lpt-fixture.ko block_transition=Y", "lpt_fixture: init");
        assertThat(unloaded.kernelLog().lines()).containsExactly("% rmmod lpt_fixture");
        assertThat(kernel.file("/proc/modules")).doesNotContain("lpt_fixture");
    }

    @Test
    void unloadingAnEnabledPatchFailsAtOnceWithAHint() {
        Patch patch = livepatches.load(kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH));
        long start = System.nanoTime();

        assertThatThrownBy(patch::unload)
                .isInstanceOf(LivepatchException.class)
                .hasMessageStartingWith(
                        "'rmmod lpt_cmdline' failed for lpt_cmdline: rmmod: ERROR: Module lpt_cmdline is in use")
                .hasMessageContaining("disable the patch first");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void unloadWaitsForAFreedPatchToDropItsModuleReference() {
        Patch patch = livepatches.load(kernel.module(folder, "lpt_cmdline.ko", CMDLINE_PATCH));
        kernel.write("/sys/kernel/livepatch/lpt_cmdline/enabled", "0\n");
        kernel.shell()
                .exec(
                        "(sleep 0.3; echo 0 > " + kernel.root() + "/sys/module/lpt_cmdline/refcnt) > /dev/null 2>&1 &",
                        Duration.ofSeconds(5));

        Operation unloaded = patch.unload();

        assertThat(unloaded.command()).isEqualTo("rmmod lpt_cmdline");
        assertThat(unloaded.duration()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(kernel.exists("/sys/module/lpt_cmdline")).isFalse();
    }

    @Test
    void aMissingModuleFileSaysToBuildIt() {
        assertThatThrownBy(() -> livepatches.load(folder.resolve("absent.ko")))
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'insmod absent.ko' failed for absent.ko: the file " + folder.resolve("absent.ko")
                        + " does not exist; build the module first");
    }

    @Test
    void builtModulesAreCheckedForLivepatchYBeforeTheGuestSeesThem() {
        Path ko = kernel.module(folder, "lpt_target.ko", "fake_module lpt_target 0");
        BuiltModule fixture = new BuiltModule(
                new PatchSource("lpt_target", PatchKind.FIXTURE, "a target", folder),
                ko,
                new ModInfo(Map.of("name", List.of("lpt_target"))),
                true);
        BuiltModule livepatch = new BuiltModule(
                new PatchSource("lpt_target", PatchKind.LIVEPATCH, "a patch", folder),
                ko,
                new ModInfo(Map.of("livepatch", List.of("Y"))),
                true);

        assertThatThrownBy(() -> livepatches.load(fixture))
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'insmod lpt_target.ko' failed for lpt_target: the module is not a livepatch (its modinfo"
                        + " lacks livepatch=Y); load it with loadModule()");
        assertThatThrownBy(() -> livepatches.loadModule(livepatch))
                .isInstanceOf(LivepatchException.class)
                .hasMessage("'insmod lpt_target.ko' failed for lpt_target: the module is a livepatch (livepatch=Y);"
                        + " load it with load() to get a handle on the patch");
        assertThat(kernel.shell().commands()).isEmpty();
        assertThat(livepatches.loadModule(fixture).kernelLog().lines()).containsExactly("% insmod lpt_target.ko");
    }
}
