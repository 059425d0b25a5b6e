package dev.livepatch.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.kbuild.KbuildPrerequisite;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.patch.PatchSources;
import dev.livepatch.testkit.patch.ProjectPatches;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Cold and cached native builds of every patch, with the medians printed. */
@Tag("kbuild")
class BuildBenchmarkIT {

    @Test
    void aCachedRebuildOfEveryPatchIsFarFasterThanACold() throws IOException {
        Kernel kernel = KbuildPrerequisite.debianKernel();

        BuildBenchmark.Figures figures = BuildBenchmark.run(
                kernel, PatchSources.scan(ProjectPatches.directory()), "native", 3, Progress.silent());

        System.out.println("bench build (" + figures.backend() + ", " + figures.modules() + " modules): cold median "
                + Durations.format(figures.coldMedian()) + " " + figures.cold() + ", cached median "
                + Durations.format(figures.cachedMedian()) + " " + figures.cached());
        assertThat(figures.modules()).isEqualTo(ProjectPatches.ALL.size());
        assertThat(figures.cold()).hasSize(3);
        assertThat(figures.cached()).hasSize(3);
        assertThat(figures.cachedMedian().multipliedBy(10)).isLessThan(figures.coldMedian());
    }
}
