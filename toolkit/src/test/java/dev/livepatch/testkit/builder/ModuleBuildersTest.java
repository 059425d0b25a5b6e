package dev.livepatch.testkit.builder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleBuildersTest {
    @TempDir
    Path dir;

    @Test
    void makesANativeBuilder() {
        assertThat(ModuleBuilders.create("native", new Cache(dir), Progress.silent())
                        .backend())
                .isEqualTo("native");
        assertThat(ModuleBuilders.create(" Native ", new Cache(dir), Progress.silent())
                        .backend())
                .isEqualTo("native");
    }

    @Test
    void autoChoosesPerKernel() {
        assertThat(ModuleBuilders.create("auto", new Cache(dir), Progress.silent())
                        .backend())
                .isEqualTo("auto");
    }

    @Test
    void anUnknownBackendIsRefusedListingTheKnownOnes() {
        assertThatThrownBy(() -> ModuleBuilders.create("docker", new Cache(dir), Progress.silent()))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("Unknown builder 'docker'; use native, container or auto (livepatch.builder).");
    }
}
