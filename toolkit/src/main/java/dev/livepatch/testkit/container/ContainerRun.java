package dev.livepatch.testkit.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Volume;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.startupcheck.StartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.utility.DockerImageName;

/**
 * One command in a fresh container on a local image: no network, each folder mounted at its own path,
 * run as the given user, output streamed as it comes. The container is removed afterwards, whatever happened.
 *
 * @param image a local image; it is never pulled
 * @param user who the command runs as, so that what it writes belongs to that user
 * @param readOnlyFolders host folders the command reads
 * @param writableFolders host folders the command writes
 * @param workingDirectory where the command starts
 */
record ContainerRun(
        String image,
        ContainerUser user,
        List<Path> readOnlyFolders,
        List<Path> writableFolders,
        Path workingDirectory) {

    ContainerRun {
        readOnlyFolders = List.copyOf(readOnlyFolders);
        writableFolders = List.copyOf(writableFolders);
    }

    /** Runs {@code command} to its end and returns its exit code and output; also copies the output to {@code log}. */
    ExecResult exec(List<String> command, Duration timeout, OutputStream log) {
        TestcontainersSetup.apply();
        String commandLine = String.join(" ", command);
        Deadline deadline = Deadline.after(timeout);
        ContainerOutput output = new ContainerOutput(log);
        try (GenericContainer<?> container = container(command)) {
            BuildContainers.reapOrphans(container.getDockerClient());
            container.start();
            DockerClient docker = container.getDockerClient();
            String id = container.getContainerId();
            try (ContainerOutput.Follower follower = output.follow(docker, id)) {
                if (!follower.awaitCompletion(deadline.remaining().toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new ModuleBuildException("'" + commandLine + "' in a container on " + image
                            + " did not finish within " + Durations.format(timeout) + "; last output:\n"
                            + output.tail(20));
                }
            }
            int exitCode = docker.waitContainerCmd(id)
                    .exec(new WaitContainerResultCallback())
                    .awaitStatusCode(Math.max(1, deadline.remaining().toMillis()), TimeUnit.MILLISECONDS);
            output.rethrowWriteFailure();
            return new ExecResult(commandLine, exitCode, output.stdout(), output.stderr(), deadline.elapsed());
        } catch (ContainerLaunchException e) {
            throw new ModuleBuildException(
                    "Could not start a container on " + image + " for '" + commandLine + "': " + rootCause(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModuleBuildException("Interrupted while '" + commandLine + "' ran in a container", e);
        }
    }

    private GenericContainer<?> container(List<String> command) {
        return new GenericContainer<>(DockerImageName.parse(image))
                .withImagePullPolicy(name -> false)
                .withNetworkMode("none")
                .withStartupCheckStrategy(new StartedInAnyState())
                .waitingFor(new NothingToWaitFor())
                .withLabels(BuildContainers.labels())
                .withWorkingDirectory(workingDirectory.toString())
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(create -> {
                    create.withUser(user.spec());
                    create.getHostConfig().withBinds(binds());
                });
    }

    /**
     * The folders as bind mounts. They are set on the create command directly: Testcontainers' own
     * {@code withFileSystemBind} first checks that mounting works by starting a pulled image.
     */
    private List<Bind> binds() {
        List<Bind> binds = new ArrayList<>();
        readOnlyFolders.forEach(
                folder -> binds.add(new Bind(folder.toString(), new Volume(folder.toString()), AccessMode.ro)));
        writableFolders.forEach(
                folder -> binds.add(new Bind(folder.toString(), new Volume(folder.toString()), AccessMode.rw)));
        return binds;
    }

    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getMessage();
    }

    /**
     * A one-shot command may have finished before any check looks; it counts as started either way. The
     * waiting is skipped too: Testcontainers spaces such checks a second apart across all containers.
     */
    private static final class StartedInAnyState extends StartupCheckStrategy {
        @Override
        public boolean waitUntilStartupSuccessful(DockerClient dockerClient, String containerId) {
            return true;
        }

        @Override
        public StartupStatus checkStartupState(DockerClient dockerClient, String containerId) {
            return StartupStatus.SUCCESSFUL;
        }
    }

    /** The command serves no port; its end is awaited on the log stream instead. */
    private static final class NothingToWaitFor extends AbstractWaitStrategy {
        @Override
        protected void waitUntilReady() {}
    }
}
