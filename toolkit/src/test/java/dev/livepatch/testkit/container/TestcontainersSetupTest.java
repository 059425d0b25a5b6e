package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;
import org.testcontainers.dockerclient.DockerClientConfigUtils;
import org.testcontainers.utility.ResourceReaper;

class TestcontainersSetupTest {

    @Test
    void containersAreRemovedByAShutdownHookInsteadOfByRyuk() {
        TestcontainersSetup.apply();

        assertThat(ResourceReaper.instance().getClass().getName())
                .isEqualTo("org.testcontainers.utility.JVMHookResourceReaper");
    }

    @Test
    void insideAContainerTheGatewayIsKnownWithoutStartingOne() {
        String hostOverride = System.getenv("TESTCONTAINERS_HOST_OVERRIDE");
        if (!DockerClientConfigUtils.IN_A_CONTAINER || (hostOverride != null && !hostOverride.isBlank())) {
            throw new TestAbortedException("Testcontainers probes the gateway only inside a container without"
                    + " TESTCONTAINERS_HOST_OVERRIDE");
        }

        TestcontainersSetup.apply();

        assertThat(DockerClientConfigUtils.getDefaultGateway()).contains("localhost");
    }

    @Test
    void applyingAgainChangesNothing() {
        TestcontainersSetup.apply();
        ResourceReaper reaper = ResourceReaper.instance();

        TestcontainersSetup.apply();

        assertThat(ResourceReaper.instance()).isSameAs(reaper);
    }
}
