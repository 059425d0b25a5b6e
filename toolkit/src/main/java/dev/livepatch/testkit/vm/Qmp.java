package dev.livepatch.testkit.vm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A QMP client over QEMU's unix socket: one command at a time, events skipped. */
final class Qmp implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SocketChannel channel;
    private final BufferedReader in;
    private final OutputStream out;

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newOutputStream(channel);
    }

    static Qmp connect(Path socket) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        channel.connect(UnixDomainSocketAddress.of(socket));
        Qmp qmp = new Qmp(channel);
        JsonNode greeting = qmp.readMessage();
        if (!greeting.has("QMP")) {
            qmp.close();
            throw new IOException("Unexpected QMP greeting: " + greeting);
        }
        qmp.execute("qmp_capabilities", Map.of());
        return qmp;
    }

    /** Runs a QMP command and returns its {@code return} value; a QMP error becomes an IOException. */
    synchronized JsonNode execute(String command, Map<String, Object> arguments) throws IOException {
        Map<String, Object> message =
                arguments.isEmpty() ? Map.of("execute", command) : Map.of("execute", command, "arguments", arguments);
        out.write(JSON.writeValueAsBytes(message));
        out.write('\n');
        out.flush();
        while (true) {
            JsonNode reply = readMessage();
            if (reply.has("return")) {
                return reply.get("return");
            }
            if (reply.has("error")) {
                throw new IOException("QMP " + command + " failed: "
                        + reply.get("error").path("desc").asString());
            }
        }
    }

    /** Runs a human monitor command; HMP reports failures as text, which becomes an IOException. */
    String human(String commandLine) throws IOException {
        String output = execute("human-monitor-command", Map.of("command-line", commandLine))
                .asString();
        if (output.toLowerCase().contains("error")) {
            throw new IOException("'" + commandLine + "' failed: " + output.strip());
        }
        return output;
    }

    private JsonNode readMessage() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QEMU closed its QMP socket");
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
