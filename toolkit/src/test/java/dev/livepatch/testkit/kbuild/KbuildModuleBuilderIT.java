package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.patch.ProjectPatches;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every patch of the project built natively with real kbuild against Debian's 6.1 headers. */
@Tag("kbuild")
class KbuildModuleBuilderIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private static Kernel kernel;
    private static Cache cache;
    private static List<PatchSource> patches;
    private static CountingKbuildRunner coldRunner;
    private static List<BuiltModule> built;

    @BeforeAll
    static void buildEveryPatch() throws IOException {
        kernel = KbuildPrerequisite.debianKernel();
        cache = new Cache(Files.createTempDirectory("lpt-kbuild-it-"));
        patches = PatchSources.scan(ProjectPatches.directory());
        coldRunner = new CountingKbuildRunner(nativeRunner());
        built = builder(coldRunner, cache).build(kernel, patches);
    }

    @AfterAll
    static void removeCache() {
        if (cache != null) {
            cache.clean();
        }
    }

    @Test
    void buildsEveryPatchInOneKbuildRunWithoutWarnings() throws IOException {
        assertThat(coldRunner.runs()).isEqualTo(1);
        assertThat(built).extracting(BuiltModule::name).containsExactlyElementsOf(ProjectPatches.ALL);
        assertThat(built).allSatisfy(module -> {
            assertThat(module.fromCache()).isFalse();
            assertThat(module.ko()).isRegularFile().hasFileName(module.name() + ".ko");
            assertThat(module.modInfo().name()).contains(module.name());
            assertThat(module.modInfo().release()).contains(kernel.release());
            assertThat(module.modInfo().livepatch()).isEqualTo(module.source().kind() == PatchKind.LIVEPATCH);
        });
        String log = Files.readString(built.get(0).ko().resolveSibling(KbuildModuleBuilder.LOG_FILE));
        assertThat(log).doesNotContain("warning:").doesNotContain("error:").doesNotContain("WARNING:");
        assertThat(log.lines().filter(line -> line.startsWith("  LD [M]"))).hasSize(ProjectPatches.ALL.size());
    }

    @Test
    void theModulesHaveTheParametersTheSuitesUse() {
        assertThat(parameterTypes("lpt_meminfo")).isEqualTo(Map.of("replace", "int"));
        assertThat(parameterTypes("lpt_cmdline2")).isEqualTo(Map.of("replace", "int"));
        assertThat(parameterTypes("lpt_callbacks2")).isEqualTo(Map.of("replace", "int"));
        assertThat(parameterTypes("lpt_callbacks")).isEqualTo(Map.of("pre_patch_ret", "int", "replace", "int"));
        assertThat(parameterTypes("lpt_busy")).isEqualTo(Map.of("block_transition", "bool"));
        assertThat(parameterTypes("lpt_cmdline")).isEqualTo(Map.of("replace", "int"));
    }

    @Test
    void aSecondBuildComesFromTheCacheWithoutRunningMake() {
        CountingKbuildRunner runner = new CountingKbuildRunner(nativeRunner());

        List<BuiltModule> again = builder(runner, cache).build(kernel, patches);

        assertThat(runner.runs()).isZero();
        assertThat(again).allSatisfy(module -> assertThat(module.fromCache()).isTrue());
        assertThat(again)
                .extracting(BuiltModule::ko)
                .isEqualTo(built.stream().map(BuiltModule::ko).toList());
    }

    @Test
    void aBrokenPatchFailsWithItsOwnCompilerLine(@TempDir Path dir) throws IOException {
        PatchSource broken = ProjectPatches.renamedCopy(dir, "lpt_cmdline", "lpt_broken");
        Path source = broken.directory().resolve("lpt_broken.c");
        List<String> lines = Files.readAllLines(source);
        int line = lines.indexOf("\treturn klp_enable_patch(&lpt_patch);") + 1;
        lines.set(line - 1, "\treturn klp_enable_patch(&lpt_patch)");
        Files.write(source, lines);
        PatchSource good = PatchSources.select(ProjectPatches.directory(), List.of("lpt_target"))
                .get(0);
        Cache fresh = new Cache(dir.resolve("cache"));

        assertThatThrownBy(() -> builder(nativeRunner(), fresh).build(kernel, List.of(good, broken)))
                .isInstanceOfSatisfying(ModuleBuildException.class, e -> {
                    Path log = e.log().orElseThrow();
                    assertThat(e.getMessage())
                            .startsWith("Could not build lpt_broken for kernel " + kernel.release()
                                    + " (native kbuild, make exit status 2):\n" + source + ":" + line + ":")
                            .contains(": error: expected ';' before '}' token")
                            .endsWith("\nFull log: " + log);
                    assertThat(e.diagnostics()).first().satisfies(diagnostic -> {
                        assertThat(diagnostic.file()).isEqualTo(source);
                        assertThat(diagnostic.line()).isEqualTo(line);
                        assertThat(diagnostic.severity()).isEqualTo("error");
                    });
                    assertThat(log).content().contains("lpt_broken.c:" + line + ":");
                });
        assertThat(fresh.find(KbuildModuleBuilder.AREA, "anything")).isEmpty();
        try (Stream<Path> entries = Files.list(fresh.root().resolve("build-logs"))) {
            assertThat(entries.map(run -> run.resolve("project")))
                    .allSatisfy(project -> assertThat(project).doesNotExist());
        }
    }

    private static Map<String, String> parameterTypes(String name) {
        return built.stream()
                .filter(module -> module.name().equals(name))
                .findFirst()
                .orElseThrow()
                .modInfo()
                .parameterTypes();
    }

    private static KbuildRunner nativeRunner() {
        return new NativeKbuildRunner(ProcessRunner.create(), TIMEOUT);
    }

    private static ModuleBuilder builder(KbuildRunner runner, Cache cache) {
        return new KbuildModuleBuilder(
                runner, cache, Progress.silent(), Runtime.getRuntime().availableProcessors());
    }
}
