package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.CompilerDiagnostic;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.patch.ProjectPatches;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The builder around kbuild (cache, staging, errors, checks) with an in-process runner; the real kbuild is in the IT. */
class KbuildModuleBuilderTest {
    private static final Kernel KERNEL = kernel("6.1.0-56-amd64");

    @TempDir
    Path dir;

    @Test
    void buildsWhatIsMissingInOneRunAndThenServesItFromTheCache() throws IOException {
        FakeKbuildRunner runner = FakeKbuildRunner.copying(module("lpt_meminfo"), module("lpt_target"));
        Cache cache = new Cache(dir.resolve("cache"));
        List<PatchSource> sources =
                PatchSources.select(ProjectPatches.directory(), List.of("lpt_meminfo", "lpt_target"));

        List<BuiltModule> first = builder(runner, cache).build(KERNEL, sources);
        List<BuiltModule> second = builder(runner, cache).build(KERNEL, sources);

        assertThat(runner.kbuildFiles()).containsExactly("obj-m += lpt_meminfo/\nobj-m += lpt_target/\n");
        assertThat(first).extracting(BuiltModule::fromCache).containsExactly(false, false);
        assertThat(second).extracting(BuiltModule::fromCache).containsExactly(true, true);
        assertThat(second)
                .extracting(BuiltModule::ko)
                .isEqualTo(first.stream().map(BuiltModule::ko).toList());
        BuiltModule meminfo = second.get(0);
        assertThat(meminfo.name()).isEqualTo("lpt_meminfo");
        assertThat(meminfo.modInfo().livepatch()).isTrue();
        assertThat(meminfo.ko()).startsWith(cache.root().resolve("modules")).hasFileName("lpt_meminfo.ko");
        assertThat(meminfo.ko().resolveSibling("inputs.txt")).content().contains("backend fake\n");
        assertThat(meminfo.ko().resolveSibling("build.log")).content().contains("LD [M]");
    }

    @Test
    void keepsTheLogOfEachRunAndRemovesTheStagedProject() throws IOException {
        FakeKbuildRunner runner = FakeKbuildRunner.copying(module("lpt_meminfo"));
        Cache cache = new Cache(dir.resolve("cache"));

        builder(runner, cache).build(KERNEL, PatchSources.select(ProjectPatches.directory(), List.of("lpt_meminfo")));

        List<Path> runs = list(cache.root().resolve("build-logs"));
        assertThat(runs).singleElement().satisfies(run -> {
            assertThat(list(run))
                    .extracting(path -> path.getFileName().toString())
                    .containsExactly("kbuild.log");
            assertThat(run.resolve("kbuild.log"))
                    .content()
                    .startsWith("# kernel 6.1.0-56-amd64 (test kernel), fake kbuild, modules: lpt_meminfo\n");
        });
    }

    @Test
    void rebuildsOnlyThePatchThatChanged() throws IOException {
        FakeKbuildRunner runner = FakeKbuildRunner.copying(module("lpt_meminfo"), module("lpt_target"));
        Cache cache = new Cache(dir.resolve("cache"));
        Path patches = ProjectPatches.copy(dir.resolve("patches"), "lpt_meminfo", "lpt_target");
        List<PatchSource> sources = PatchSources.scan(patches);
        builder(runner, cache).build(KERNEL, sources);

        Files.writeString(patches.resolve("lpt_target/lpt_target.c"), "\n", StandardOpenOption.APPEND);
        List<BuiltModule> again = builder(runner, cache).build(KERNEL, sources);

        assertThat(runner.kbuildFiles()).last().isEqualTo("obj-m += lpt_target/\n");
        assertThat(again).extracting(BuiltModule::fromCache).containsExactly(true, false);
    }

    @Test
    void aCompilerErrorNamesThePatchItsOwnFileLineAndTheLog() {
        Cache cache = new Cache(dir.resolve("cache"));
        FakeKbuildRunner runner = new FakeKbuildRunner((project, log) -> {
            log.write((project + "/lpt_meminfo/lpt_meminfo.c: In function 'lpt_meminfo_init':\n" + project
                            + "/lpt_meminfo/lpt_meminfo.c:49:44: error: expected ';' before '}' token\n"
                            + "make[2]: *** [Makefile.build:255: x.o] Error 1\n")
                    .getBytes(StandardCharsets.UTF_8));
            return 2;
        });
        List<PatchSource> sources =
                PatchSources.select(ProjectPatches.directory(), List.of("lpt_target", "lpt_meminfo"));

        assertThatThrownBy(() -> builder(runner, cache).build(KERNEL, sources))
                .isInstanceOfSatisfying(ModuleBuildException.class, e -> {
                    Path log = e.log().orElseThrow();
                    assertThat(e)
                            .hasMessage("Could not build lpt_meminfo for kernel 6.1.0-56-amd64 (fake kbuild, make exit"
                                    + " status 2):\n" + ProjectPatches.directory()
                                    + "/lpt_meminfo/lpt_meminfo.c:49:44: error: expected ';' before '}' token\n"
                                    + "Full log: " + log);
                    assertThat(e.diagnostics())
                            .singleElement()
                            .isEqualTo(new CompilerDiagnostic(
                                    ProjectPatches.directory().resolve("lpt_meminfo/lpt_meminfo.c"),
                                    49,
                                    44,
                                    "error",
                                    "expected ';' before '}' token"));
                    assertThat(log).exists().content().contains("error: expected ';'");
                    assertThat(log.resolveSibling("project")).doesNotExist();
                });
        assertThat(cache.root().resolve("modules")).doesNotExist();
    }

    @Test
    void aFailureWithoutCompilerLinesShowsTheEndOfTheLog() {
        FakeKbuildRunner runner = new FakeKbuildRunner((project, log) -> {
            log.write("make: *** No rule to make target 'modules'.  Stop.\n".getBytes(StandardCharsets.UTF_8));
            return 2;
        });

        assertThatThrownBy(() -> builder(runner, new Cache(dir.resolve("cache")))
                        .build(KERNEL, PatchSources.select(ProjectPatches.directory(), List.of("lpt_target"))))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("Could not build lpt_target for kernel 6.1.0-56-amd64 (fake kbuild, make exit"
                        + " status 2); the log ends with:\n# kernel 6.1.0-56-amd64 (test kernel), fake kbuild, modules:"
                        + " lpt_target\nmake: *** No rule to make target 'modules'.  Stop.\nFull log: ");
    }

    @Test
    void aModuleMissingAfterASuccessfulRunIsReported() {
        FakeKbuildRunner runner = new FakeKbuildRunner((project, log) -> 0);

        assertThatThrownBy(() -> builder(runner, new Cache(dir.resolve("cache")))
                        .build(KERNEL, PatchSources.select(ProjectPatches.directory(), List.of("lpt_target"))))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith(
                        "kbuild succeeded but did not produce lpt_target.ko for patch lpt_target" + " (looked for ");
    }

    @Test
    void aModuleOfTheWrongKindIsRefusedAndNotCached() throws IOException {
        Path patches = ProjectPatches.copy(dir.resolve("patches"), "lpt_target");
        Path manifest = patches.resolve("lpt_target/patch.properties");
        Files.writeString(manifest, Files.readString(manifest).replace("kind=fixture", "kind=livepatch"));
        Cache cache = new Cache(dir.resolve("cache"));

        assertThatThrownBy(() -> builder(FakeKbuildRunner.copying(module("lpt_target")), cache)
                        .build(KERNEL, PatchSources.scan(patches)))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("Patch lpt_target (" + patches.resolve("lpt_target")
                        + ", kind livepatch) did not give a usable module: Module lpt_target (")
                .hasMessageContaining("is not a livepatch: its .modinfo lacks livepatch=Y.");
        assertThat(list(cache.root().resolve("modules"))).isEmpty();
    }

    @Test
    void aRefusedModuleEndsItsStepFailedAndStaysWhereItsMessagePoints() throws IOException {
        Path patches = ProjectPatches.copy(dir.resolve("patches"), "lpt_target");
        Path manifest = patches.resolve("lpt_target/patch.properties");
        Files.writeString(manifest, Files.readString(manifest).replace("kind=fixture", "kind=livepatch"));
        List<String> steps = new ArrayList<>();
        Progress recording = new Progress() {
            @Override
            public Step start(String what) {
                return new Step() {
                    @Override
                    public void update(String detail) {}

                    @Override
                    public void succeeded() {
                        steps.add("✓ " + what);
                    }

                    @Override
                    public void failed(String reason) {
                        steps.add("✗ " + what + ": " + reason);
                    }
                };
            }

            @Override
            public void note(String message) {}
        };
        KbuildModuleBuilder builder = new KbuildModuleBuilder(
                FakeKbuildRunner.copying(module("lpt_target")), new Cache(dir.resolve("cache")), recording, 2);

        assertThatThrownBy(() -> builder.build(KERNEL, PatchSources.scan(patches)))
                .isInstanceOfSatisfying(ModuleBuildException.class, refused -> {
                    Path kept = Path.of(refused.getMessage()
                            .replaceFirst("(?s)^.*: Module lpt_target \\(", "")
                            .replaceFirst("(?s)\\) is not a livepatch.*$", ""));
                    assertThat(kept).hasFileName("lpt_target.ko").hasSameBinaryContentAs(module("lpt_target"));
                    assertThat(kept.resolveSibling("kbuild.log")).exists();
                });
        assertThat(steps)
                .singleElement()
                .asString()
                .startsWith("✗ Building lpt_target for 6.1.0-56-amd64 (fake kbuild): Patch lpt_target (");
    }

    @Test
    void aModuleForAnotherKernelIsRefusedWithBothReleases() {
        Kernel other = kernel("6.1.0-99-amd64");

        assertThatThrownBy(() -> builder(FakeKbuildRunner.copying(module("lpt_target")), new Cache(dir.resolve("c")))
                        .build(other, PatchSources.select(ProjectPatches.directory(), List.of("lpt_target"))))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("was built for kernel 6.1.0-56-amd64 (vermagic '6.1.0-56-amd64 SMP preempt"
                        + " mod_unload modversions '), but the target kernel is 6.1.0-99-amd64");
    }

    @Test
    void warningsAreReportedWithThePatchesOwnPaths() {
        List<String> notes = new ArrayList<>();
        FakeKbuildRunner copying = FakeKbuildRunner.copying(module("lpt_meminfo"));
        FakeKbuildRunner runner = new FakeKbuildRunner((project, log) -> {
            log.write((project + "/lpt_meminfo/lpt_meminfo.c:20:13: warning: unused variable 'x'"
                            + " [-Wunused-variable]\n")
                    .getBytes(StandardCharsets.UTF_8));
            return copying.runModules(KERNEL, project, 1, log).exitCode();
        });

        new KbuildModuleBuilder(runner, new Cache(dir.resolve("cache")), Progress.notesTo(notes::add), 2)
                .build(KERNEL, PatchSources.select(ProjectPatches.directory(), List.of("lpt_meminfo")));

        assertThat(notes)
                .containsExactly(ProjectPatches.directory() + "/lpt_meminfo/lpt_meminfo.c:20:13: warning: unused"
                        + " variable 'x' [-Wunused-variable]");
    }

    @Test
    void aCachedModuleReplacedByAnotherFileIsFoundAndBuiltAgain() throws IOException {
        Cache cache = new Cache(dir.resolve("cache"));
        List<PatchSource> target = PatchSources.select(ProjectPatches.directory(), List.of("lpt_target"));
        Path ko = builder(FakeKbuildRunner.copying(module("lpt_target")), cache)
                .build(KERNEL, target)
                .get(0)
                .ko();
        Files.copy(module("lpt_meminfo"), ko, StandardCopyOption.REPLACE_EXISTING);

        BuiltModule again = builder(FakeKbuildRunner.copying(module("lpt_target")), cache)
                .build(KERNEL, target)
                .get(0);

        assertThat(again.fromCache()).isFalse();
        assertThat(again.ko()).isEqualTo(ko).hasSameBinaryContentAs(module("lpt_target"));
    }

    @Test
    void nothingToBuildRunsNothing() {
        FakeKbuildRunner runner = FakeKbuildRunner.copying();

        assertThat(builder(runner, new Cache(dir.resolve("cache"))).build(KERNEL, List.of()))
                .isEmpty();
        assertThat(runner.kbuildFiles()).isEmpty();
    }

    private static ModuleBuilder builder(KbuildRunner runner, Cache cache) {
        return new KbuildModuleBuilder(runner, cache, Progress.silent(), 2);
    }

    private static Kernel kernel(String release) {
        return new Kernel(release, null, null, null, Path.of("/nonexistent"), FakeKbuildRunner.COMPILER, "test kernel");
    }

    private static Path module(String name) {
        try {
            return Path.of(KbuildModuleBuilderTest.class
                    .getResource("/dev/livepatch/testkit/module/" + name + ".ko")
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> list(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
