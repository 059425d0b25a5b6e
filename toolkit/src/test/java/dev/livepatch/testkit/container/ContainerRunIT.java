package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;

@Tag("docker")
class ContainerRunIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private static String image;

    @BeforeAll
    static void toolchainImage() {
        DockerPrerequisite.requireEngine();
        Kernel bookwormCompiler =
                new Kernel("6.1.0", null, null, null, null, "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0", "test");
        image = ToolchainImage.standard(Progress.console()).imageFor(bookwormCompiler);
    }

    @Test
    void returnsTheExitCodeAndEachStreamAndCopiesBothToTheLog() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        ExecResult result =
                run(List.of(), List.of()).exec(List.of("sh", "-c", "echo out; echo err >&2; exit 3"), TIMEOUT, log);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("out\n").contains("err\n");
        assertThat(result.command()).isEqualTo("sh -c echo out; echo err >&2; exit 3");
    }

    @Test
    void hasNoNetworkButLoopback() {
        ExecResult result = run(List.of(), List.of())
                .exec(List.of("ls", "/sys/class/net"), TIMEOUT, ByteArrayOutputStream.nullOutputStream());

        assertThat(result.stdout().lines()).containsExactly("lo");
    }

    @Test
    void mountsFoldersAtTheirOwnPathsReadOnlyOrWritable(@TempDir Path folder) throws IOException {
        Path source = Files.createDirectories(folder.resolve("source"));
        Files.writeString(source.resolve("input"), "from the host\n");
        Path output = Files.createDirectories(folder.resolve("output"));
        String script = "cat " + source.resolve("input") + " > " + output.resolve("copy") + "; touch "
                + source.resolve("forbidden");

        ExecResult result = run(List.of(source), List.of(output))
                .exec(List.of("sh", "-c", script), TIMEOUT, ByteArrayOutputStream.nullOutputStream());

        assertThat(output.resolve("copy")).hasContent("from the host");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("Read-only file system");
        assertThat(source.resolve("forbidden")).doesNotExist();
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsStoppedAndRemoved() {
        ContainerRun run = run(List.of(), List.of());
        DockerClient docker = DockerClientFactory.instance().client();
        int containersBefore = containersOf(docker);

        // The deadline counts the container's start too: a wide one, so that "started" is out before it ends.
        assertThatThrownBy(() -> run.exec(
                        List.of("sh", "-c", "echo started; sleep 60"),
                        Duration.ofSeconds(10),
                        ByteArrayOutputStream.nullOutputStream()))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("'sh -c echo started; sleep 60' in a container on " + image
                        + " did not finish within 10 s; last output:\nstarted");
        assertThat(containersOf(docker)).isEqualTo(containersBefore);
    }

    @Test
    void aMissingImageIsNamedAndNeverPulled() {
        ContainerRun run = new ContainerRun(
                "livepatch-testkit/no-such-image:0", ContainerUser.current(), List.of(), List.of(), Path.of("/"));

        assertThatThrownBy(() -> run.exec(List.of("true"), TIMEOUT, ByteArrayOutputStream.nullOutputStream()))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessageStartingWith("Could not start a container on livepatch-testkit/no-such-image:0 for 'true': ")
                .hasMessageContaining("No such image");
    }

    private static ContainerRun run(List<Path> readOnly, List<Path> writable) {
        return new ContainerRun(image, ContainerUser.current(), readOnly, writable, Path.of("/"));
    }

    private static int containersOf(DockerClient docker) {
        return docker.listContainersCmd()
                .withShowAll(true)
                .withAncestorFilter(List.of(image))
                .exec()
                .size();
    }
}
