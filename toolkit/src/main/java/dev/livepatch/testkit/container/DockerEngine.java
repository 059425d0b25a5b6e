package dev.livepatch.testkit.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.patch.ModuleBuildException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A Docker engine endpoint ({@code DOCKER_HOST}, else the standard socket) and a quick check that it
 * answers: one {@code GET /_ping} with a short deadline, no client library, no log noise.
 */
@API(status = INTERNAL, since = "0.1")
public final class DockerEngine {
    static final Duration PING_TIMEOUT = Duration.ofSeconds(2);
    private static final URI DEFAULT_ENDPOINT = URI.create("unix:///var/run/docker.sock");
    private static final byte[] PING =
            "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final URI endpoint;
    private final Duration timeout;

    public DockerEngine(URI endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.timeout = timeout;
    }

    /** The engine Docker's own tools would use: {@code DOCKER_HOST}, else {@code /var/run/docker.sock}. */
    static DockerEngine standard() {
        String dockerHost = System.getenv("DOCKER_HOST");
        URI endpoint = dockerHost == null || dockerHost.isBlank() ? DEFAULT_ENDPOINT : URI.create(dockerHost.trim());
        return new DockerEngine(endpoint, PING_TIMEOUT);
    }

    URI endpoint() {
        return endpoint;
    }

    boolean answers() {
        return problem().isEmpty();
    }

    /** Why the engine cannot be used, or empty when it answered the ping. */
    Optional<String> problem() {
        String scheme = String.valueOf(endpoint.getScheme());
        if (scheme.equals("unix")) {
            Path socket = Path.of(endpoint.getPath());
            if (!Files.exists(socket)) {
                return Optional.of("no Docker engine at " + endpoint + ": the socket does not exist");
            }
            return ping(UnixDomainSocketAddress.of(socket), StandardProtocolFamily.UNIX);
        }
        if (scheme.equals("tcp")) {
            return ping(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), StandardProtocolFamily.INET);
        }
        return Optional.of("the Docker endpoint " + endpoint + " is neither unix:// nor tcp://");
    }

    /** Throws when the engine does not answer, saying what to do about it. */
    void requireAnswering() {
        problem().ifPresent(problem -> {
            throw new ModuleBuildException("The container builder needs a Docker engine, but " + problem
                    + ". Start one (.ci/start-docker, or 'sudo systemctl start docker') or use the native builder");
        });
    }

    private Optional<String> ping(SocketAddress address, StandardProtocolFamily family) {
        Deadline deadline = Deadline.after(timeout);
        try (SocketChannel channel = SocketChannel.open(family);
                Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            if (!channel.connect(address)) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                if (!await(selector, deadline) || !channel.finishConnect()) {
                    return Optional.of(noAnswer("did not accept a connection"));
                }
            }
            channel.register(selector, SelectionKey.OP_READ);
            channel.write(ByteBuffer.wrap(PING));
            String statusLine = readStatusLine(channel, selector, deadline);
            if (statusLine.startsWith("HTTP/1.") && statusLine.contains(" 200")) {
                return Optional.empty();
            }
            return Optional.of(
                    statusLine.isEmpty()
                            ? noAnswer("did not answer a ping")
                            : "the Docker engine at " + endpoint + " answered a ping with '" + statusLine + "'");
        } catch (IOException e) {
            String hint = String.valueOf(e.getMessage()).contains("Permission denied")
                    ? " (is your user in the 'docker' group?)"
                    : "";
            return Optional.of("no Docker engine answers at " + endpoint + ": " + e.getMessage() + hint);
        }
    }

    private String readStatusLine(SocketChannel channel, Selector selector, Deadline deadline) throws IOException {
        StringBuilder reply = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(512);
        while (reply.indexOf("\n") < 0 && await(selector, deadline)) {
            buffer.clear();
            int read = channel.read(buffer);
            if (read < 0) {
                break;
            }
            reply.append(new String(buffer.array(), 0, read, StandardCharsets.US_ASCII));
        }
        int end = reply.indexOf("\n");
        return (end < 0 ? reply.toString() : reply.substring(0, end)).trim();
    }

    private static boolean await(Selector selector, Deadline deadline) throws IOException {
        long millis = deadline.remaining().toMillis();
        if (millis <= 0) {
            return false;
        }
        int ready = selector.select(millis);
        selector.selectedKeys().clear();
        return ready > 0;
    }

    private String noAnswer(String what) {
        return "the Docker engine at " + endpoint + " " + what + " within " + Durations.format(timeout);
    }
}
