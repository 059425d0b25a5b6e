package dev.livepatch.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.module.ModInfo;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.patch.PatchSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelPatchModulesTest {
    private static final Kernel KERNEL =
            new Kernel("6.1.0-56-amd64", null, null, null, Path.of("/nonexistent"), "gcc-12 (Debian) 12.2.0", "test");

    @TempDir
    Path patches;

    private final List<List<String>> batches = new ArrayList<>();

    @BeforeEach
    void patchFolders() throws IOException {
        for (String name : List.of("lpt_a", "lpt_b", "lpt_broken")) {
            Path folder = Files.createDirectories(patches.resolve(name));
            Files.writeString(folder.resolve("patch.properties"), "name=" + name + "\nkind=livepatch\ndescription=x\n");
            Files.writeString(folder.resolve(name + ".c"), "");
        }
    }

    /** Builds what it is asked, except lpt_broken, which fails the whole kbuild run as a compile error would. */
    private ModuleBuilder builder() {
        return new ModuleBuilder() {
            @Override
            public String backend() {
                return "fake";
            }

            @Override
            public List<BuiltModule> build(Kernel kernel, List<PatchSource> sources) {
                batches.add(sources.stream().map(PatchSource::name).toList());
                if (sources.stream().anyMatch(source -> source.name().equals("lpt_broken"))) {
                    throw new ModuleBuildException("lpt_broken.c:1:1: error: expected declaration");
                }
                return sources.stream()
                        .map(source -> new BuiltModule(
                                source, patches.resolve(source.name() + ".ko"), new ModInfo(Map.of()), false))
                        .toList();
            }
        };
    }

    @Test
    void theFirstRequestBuildsEveryPatchInOneRunAndLaterOnesFallBackToWhatWasAskedWhenOneDoesNotBuild() {
        KernelPatchModules modules = new KernelPatchModules(KERNEL, patches, this::builder);

        assertThat(modules.build(List.of("lpt_b")))
                .extracting(BuiltModule::name)
                .containsExactly("lpt_b");
        assertThat(modules.build(List.of("lpt_a")))
                .extracting(BuiltModule::name)
                .containsExactly("lpt_a");

        assertThat(batches)
                .containsExactly(List.of("lpt_a", "lpt_b", "lpt_broken"), List.of("lpt_b"), List.of("lpt_a"));
        assertThatThrownBy(() -> modules.build(List.of("lpt_broken")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageContaining("lpt_broken.c:1:1: error");
    }
}
