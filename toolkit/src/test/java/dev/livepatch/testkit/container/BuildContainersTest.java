package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
        Process exited = new ProcessBuilder("true").start();
        String owner = BuildContainers.owner(exited.toHandle());
        assertThat(exited.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(BuildContainers.ownerAlive(owner)).isFalse();
        assertThat(BuildContainers.ownerAlive(ProcessHandle.current().pid() + "@1970-01-01T00:00:00Z"))
                .isFalse();
        assertThat(BuildContainers.ownerAlive("no owner")).isFalse();
    }
}
