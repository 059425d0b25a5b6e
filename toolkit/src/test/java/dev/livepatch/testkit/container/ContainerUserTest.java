package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.process.ProcessRunner;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContainerUserTest {

    @Test
    void theCurrentUserIsTheOneThisProcessRunsAs() {
        ProcessRunner processes = ProcessRunner.create();
        int uid = Integer.parseInt(processes
                .run(List.of("id", "-u"), Duration.ofSeconds(10))
                .stdout()
                .trim());
        int gid = Integer.parseInt(processes
                .run(List.of("id", "-g"), Duration.ofSeconds(10))
                .stdout()
                .trim());

        assertThat(ContainerUser.current()).isEqualTo(new ContainerUser(uid, gid));
    }

    @Test
    void isWrittenTheWayDockerTakesIt() {
        assertThat(new ContainerUser(1000, 100).spec()).isEqualTo("1000:100");
    }
}
