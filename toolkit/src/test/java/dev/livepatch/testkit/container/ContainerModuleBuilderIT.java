package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kbuild.KbuildPrerequisite;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.ModuleBuilder;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.patch.ProjectPatches;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Every patch of the project built by the container backend, through the same builder as the native one. */
@Tag("docker")
class ContainerModuleBuilderIT {
    @Test
    void buildsEveryPatchInAContainerAndThenFromTheCache() throws IOException {
        DockerPrerequisite.requireEngine();
        Kernel kernel = KbuildPrerequisite.debianKernel();
        Cache cache = new Cache(Files.createTempDirectory("lpt-container-build-it-"));
        try {
            List<PatchSource> patches = PatchSources.scan(ProjectPatches.directory());
            ModuleBuilder builder = ModuleBuilders.create("container", cache, Progress.silent());

            List<BuiltModule> built = builder.build(kernel, patches);

            assertThat(builder.backend()).isEqualTo("container");
            assertThat(built).extracting(BuiltModule::name).containsExactlyElementsOf(ProjectPatches.ALL);
            assertThat(built).allSatisfy(module -> {
                assertThat(module.fromCache()).isFalse();
                assertThat(module.modInfo().release()).contains(kernel.release());
                assertThat(module.modInfo().livepatch())
                        .isEqualTo(module.source().kind() == PatchKind.LIVEPATCH);
            });
            assertThat(ModuleBuilders.create("container", cache, Progress.silent())
                            .build(kernel, patches))
                    .allSatisfy(module -> assertThat(module.fromCache()).isTrue());
        } finally {
            cache.clean();
        }
    }
}
