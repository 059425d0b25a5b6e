package dev.livepatch.testkit.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The labels of the toolkit's build containers, naming the JVM that owns each one, and the removal of those whose
 * owner is gone. A JVM that exits normally removes its containers from a shutdown hook (Testcontainers' reaper); one
 * killed outright cannot, so the next run that uses containers removes them.
 */
final class BuildContainers {
    static final String KIND_LABEL = "dev.livepatch.testkit";
    static final String OWNER_LABEL = "dev.livepatch.testkit.owner";
    private static final Logger LOG = LoggerFactory.getLogger(BuildContainers.class);

    private static volatile boolean reaped;

    private BuildContainers() {}

    static Map<String, String> labels() {
        return Map.of(KIND_LABEL, "build", OWNER_LABEL, owner(ProcessHandle.current()));
    }

    /** A process by pid and start time, which together never name another process. */
    static String owner(ProcessHandle process) {
        return process.pid() + "@"
                + process.info().startInstant().map(Instant::toString).orElse("unknown");
    }

    static boolean ownerAlive(String owner) {
        int at = owner.indexOf('@');
        if (at < 0) {
            return false;
        }
        try {
            Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(owner.substring(0, at)));
            return process.filter(ProcessHandle::isAlive)
                    .map(p -> owner(p).equals(owner))
                    .orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Removes, once per JVM, the build containers whose owning JVM is gone. */
    static void reapOrphans(DockerClient docker) {
        if (reaped) {
            return;
        }
        reaped = true;
        List<Container> containers = docker.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(KIND_LABEL, "build"))
                .exec();
        for (Container container : containers) {
            String owner = container.getLabels().getOrDefault(OWNER_LABEL, "");
            if (!ownerAlive(owner)) {
                LOG.info("Removing build container {} left by {}, which is gone", container.getId(), owner);
                try {
                    docker.removeContainerCmd(container.getId()).withForce(true).exec();
                } catch (NotFoundException e) {
                    // Another run removed it first.
                }
            }
        }
    }
}
