package dev.livepatch.testkit.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerEngineTest {
    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void answersWhenThePingIsAnsweredWith200(@TempDir Path folder) throws IOException {
        Path socket = folder.resolve("docker.sock");
        try (FakeDockerEngine fake =
                FakeDockerEngine.replying(socket, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")) {
            DockerEngine engine = new DockerEngine(URI.create("unix://" + socket), SHORT);

            assertThat(engine.problem()).isEmpty();
            assertThat(engine.answers()).isTrue();
            assertThat(fake.requests()).first().asString().startsWith("GET /_ping HTTP/1.0\r\n");
        }
    }

    @Test
    void answersOverTcpToo() throws IOException {
        try (FakeDockerEngine fake = FakeDockerEngine.replyingOnTcp("HTTP/1.1 200 OK\r\n\r\nOK")) {
            DockerEngine engine = new DockerEngine(URI.create("tcp://127.0.0.1:" + fake.port()), SHORT);

            assertThat(engine.problem()).isEmpty();
        }
    }

    @Test
    void aSilentEngineIsGivenUpOnAfterTheTimeout(@TempDir Path folder) throws IOException {
        Path socket = folder.resolve("docker.sock");
        try (FakeDockerEngine fake = FakeDockerEngine.silent(socket)) {
            DockerEngine engine = new DockerEngine(URI.create("unix://" + socket), SHORT);
            long start = System.nanoTime();

            assertThat(engine.problem())
                    .contains("the Docker engine at unix://" + socket + " did not answer a ping within 300 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            assertThat(fake.requests()).hasSize(1);
        }
    }

    @Test
    void anErrorReplyIsQuoted(@TempDir Path folder) throws IOException {
        Path socket = folder.resolve("docker.sock");
        try (FakeDockerEngine fake = FakeDockerEngine.replying(socket, "HTTP/1.1 500 Internal Server Error\r\n\r\n")) {
            DockerEngine engine = new DockerEngine(URI.create("unix://" + socket), SHORT);

            assertThat(engine.problem())
                    .contains("the Docker engine at unix://" + socket
                            + " answered a ping with 'HTTP/1.1 500 Internal Server Error'");
            assertThat(fake.requests()).hasSize(1);
        }
    }

    @Test
    void aMissingSocketIsNamedAndTheErrorSaysWhatToDo(@TempDir Path folder) {
        Path socket = folder.resolve("docker.sock");
        DockerEngine engine = new DockerEngine(URI.create("unix://" + socket), SHORT);

        assertThat(engine.problem()).contains("no Docker engine at unix://" + socket + ": the socket does not exist");
        assertThatThrownBy(engine::requireAnswering)
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The container builder needs a Docker engine, but no Docker engine at unix://" + socket
                        + ": the socket does not exist. Start one (.ci/start-docker, or 'sudo systemctl start"
                        + " docker') or use the native builder");
    }

    @Test
    void aSocketNobodyListensOnIsRefused(@TempDir Path folder) throws IOException {
        Path socket = folder.resolve("docker.sock");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(socket));
        }
        DockerEngine engine = new DockerEngine(URI.create("unix://" + socket), SHORT);

        assertThat(engine.problem()).contains("no Docker engine answers at unix://" + socket + ": Connection refused");
    }

    @Test
    void anUnknownEndpointKindIsRefused() {
        DockerEngine engine = new DockerEngine(URI.create("npipe:////./pipe/docker_engine"), SHORT);

        assertThat(engine.problem())
                .contains("the Docker endpoint npipe:////./pipe/docker_engine is neither unix:// nor tcp://");
    }

    @Test
    void theStandardEngineIsDockerHostOrTheStandardSocket() {
        String dockerHost = System.getenv("DOCKER_HOST");
        URI expected =
                URI.create(dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost);

        assertThat(DockerEngine.standard().endpoint()).isEqualTo(expected);
    }
}
