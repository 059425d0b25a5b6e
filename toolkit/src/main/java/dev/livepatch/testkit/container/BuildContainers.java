package dev.livepatch.testkit.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    /**
     * A process by pid and start time, which together never name another process. The start time is the kernel's
     * own count of clock ticks since boot ({@code /proc/PID/stat}): a wall-clock start time is derived from the boot
     * time in whole seconds, which moves when the clock is adjusted, so two JVMs could compute two times for one
     * process and take a live owner for gone.
     */
    static String owner(ProcessHandle process) {
        return process.pid() + "@" + startTicks(process.pid()).orElse("unknown");
    }

    /**
     * Whether the owner a label names still runs. A label written before start times were clock ticks names a live
     * owner whenever its pid runs: a container whose owner may still run is never removed.
     */
    static boolean ownerAlive(String owner) {
        int at = owner.indexOf('@');
        if (at < 0) {
            return false;
        }
        long pid;
        try {
            pid = Long.parseLong(owner.substring(0, at));
        } catch (NumberFormatException e) {
            return false;
        }
        String start = owner.substring(at + 1);
        if (!start.matches("\\d+")) {
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent();
        }
        return startTicks(pid).filter(start::equals).isPresent();
    }

    /** Field 22 of {@code /proc/PID/stat}, counted after the command name, which may hold spaces and parentheses. */
    private static Optional<String> startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields.length > 19 ? Optional.of(fields[19]) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
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
