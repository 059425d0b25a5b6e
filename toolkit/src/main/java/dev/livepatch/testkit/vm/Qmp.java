package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.lifecycle.Durations;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * A QMP client over QEMU's unix socket. A reader thread takes QEMU's messages as they come, skips events, and
 * hands replies to the one command in flight, which waits for its reply no longer than it was told to. Commands are
 * written to the channel directly: a stream from {@code Channels} would share the reader's lock and wait for it.
 */
final class Qmp implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final JsonNode CLOSED = JsonNodeFactory.instance.objectNode().put("closed", true);

    private final SocketChannel channel;
    private final BlockingQueue<JsonNode> replies = new LinkedBlockingQueue<>();

    private Qmp(SocketChannel channel) {
        this.channel = channel;
    }

    /** Connects, reads QEMU's greeting and leaves capabilities negotiation mode. */
    static Qmp connect(Path socket, String name, Duration timeout) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        Qmp qmp = new Qmp(channel);
        Thread reader = new Thread(qmp::readMessages, "lpt-qmp-" + name);
        reader.setDaemon(true);
        reader.start();
        try {
            JsonNode greeting = qmp.awaitReply("QMP greeting", timeout);
            if (!greeting.has("QMP")) {
                throw new IOException("Unexpected QMP greeting: " + greeting);
            }
            qmp.execute("qmp_capabilities", Map.of(), timeout);
            return qmp;
        } catch (IOException | RuntimeException e) {
            qmp.close();
            throw e;
        }
    }

    /** Runs a QMP command and returns its {@code return} value; a QMP error becomes an IOException. */
    synchronized JsonNode execute(String command, Map<String, Object> arguments, Duration timeout) throws IOException {
        Map<String, Object> message =
                arguments.isEmpty() ? Map.of("execute", command) : Map.of("execute", command, "arguments", arguments);
        ByteBuffer request =
                ByteBuffer.wrap((JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8));
        while (request.hasRemaining()) {
            channel.write(request);
        }
        JsonNode reply = awaitReply("the reply to QMP command " + command, timeout);
        if (reply.has("error")) {
            throw new IOException("QMP " + command + " failed: "
                    + reply.get("error").path("desc").asString());
        }
        return reply.get("return");
    }

    /** Runs a human monitor command; HMP reports failures as text, which becomes an IOException. */
    String human(String commandLine, Duration timeout) throws IOException {
        String output = execute("human-monitor-command", Map.of("command-line", commandLine), timeout)
                .asString();
        if (output.toLowerCase().contains("error")) {
            throw new IOException("'" + commandLine + "' failed: " + output.strip());
        }
        return output;
    }

    private JsonNode awaitReply(String what, Duration timeout) throws IOException {
        JsonNode reply;
        try {
            reply = replies.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while waiting for " + what);
        }
        if (reply == null) {
            close();
            throw new IOException("QEMU did not send " + what + " within " + Durations.format(timeout));
        }
        if (reply == CLOSED) {
            replies.add(CLOSED);
            throw new IOException("QEMU closed its QMP socket while we waited for " + what);
        }
        return reply;
    }

    private void readMessages() {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                JsonNode message = JSON.readTree(line);
                if (!message.has("event")) {
                    replies.add(message);
                }
            }
        } catch (IOException | JacksonException e) {
            // The socket closed or QEMU sent garbage: either way no further reply will come.
        } finally {
            replies.add(CLOSED);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing is left to release once the channel is gone.
        }
    }
}
