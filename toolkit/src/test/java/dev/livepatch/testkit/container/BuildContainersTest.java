package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BuildContainersTest {
    @Test
    void aContainerIsLabelledWithItsOwnerWhichIsAliveWhileThisJvmRuns() {
        String owner = BuildContainers.labels().get(BuildContainers.OWNER_LABEL);

        assertThat(BuildContainers.labels()).containsEntry(BuildContainers.KIND_LABEL, "build");
        assertThat(owner).startsWith(ProcessHandle.current().pid() + "@");
        assertThat(BuildContainers.ownerAlive(owner)).isTrue();
    }

    @Test
    void anOwnerThatExitedOrWhosePidWasReusedIsGone() throws IOException, InterruptedException {
        Process exited = new ProcessBuilder("sleep", "60").start();
        String owner = BuildContainers.owner(exited.toHandle());
        assertThat(owner).matches(exited.pid() + "@\\d+");
        assertThat(BuildContainers.ownerAlive(owner)).isTrue();
        exited.destroy();
        assertThat(exited.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(BuildContainers.ownerAlive(owner)).isFalse();
        assertThat(BuildContainers.ownerAlive(ProcessHandle.current().pid() + "@0"))
                .isFalse();
        assertThat(BuildContainers.ownerAlive("no owner")).isFalse();
    }

    @Test
    void theStartTimeIsTheKernelsTickCountSoAClockAdjustmentCannotChangeIt() throws IOException {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String ticks = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];

        assertThat(BuildContainers.labels().get(BuildContainers.OWNER_LABEL))
                .isEqualTo(ProcessHandle.current().pid() + "@" + ticks);
    }

    @Test
    void aLabelOfAnEarlierVersionKeepsItsContainerWhileItsPidRuns() throws IOException, InterruptedException {
        assertThat(BuildContainers.ownerAlive(ProcessHandle.current().pid() + "@2026-12-06T09:00:00.120Z"))
                .isTrue();

        Process exited = new ProcessBuilder("true").start();
        assertThat(exited.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(BuildContainers.ownerAlive(exited.pid() + "@2026-12-06T09:00:00.120Z"))
                .isFalse();
    }
}
