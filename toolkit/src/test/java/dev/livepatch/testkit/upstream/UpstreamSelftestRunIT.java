package dev.livepatch.testkit.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Machine;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The kernel's own selftest scripts, the yardstick of {@code bench selftests}, pass in the selftest image. */
@Tag("qemu")
class UpstreamSelftestRunIT {
    @Test
    void theKernelsOwnScriptsPassAllTwentyTwoCases() {
        QemuPrerequisite.require();
        Kernel kernel = Kernels.resolve("debian", Cache.standard(), Progress.silent());

        List<UpstreamSelftestRun.Script> scripts = UpstreamSelftestRun.run(
                kernel,
                GuestImages.standard(Progress.silent()).build("selftest", kernel),
                Machine.defaults(),
                Progress.silent());

        assertThat(scripts)
                .extracting(UpstreamSelftestRun.Script::name)
                .containsExactlyInAnyOrder(
                        "test-callbacks.sh",
                        "test-ftrace.sh",
                        "test-livepatch.sh",
                        "test-shadow-vars.sh",
                        "test-state.sh",
                        "test-sysfs.sh");
        assertThat(scripts)
                .allSatisfy(script -> assertThat(script.exitCode())
                        .as(script.name() + ": " + script.results())
                        .isZero());
        assertThat(scripts.stream()
                        .mapToLong(UpstreamSelftestRun.Script::passed)
                        .sum())
                .isEqualTo(22);
    }
}
