package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QMP against an in-process server speaking QEMU's framing: greeting, capabilities, events between replies. */
class QmpTest {
    @TempDir
    Path dir;

    private final List<String> received = new CopyOnWriteArrayList<>();

    private Path serve(List<String> replies) throws IOException {
        Path socket = dir.resolve("qmp.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(
                () -> {
                    try (server;
                            SocketChannel client = server.accept()) {
                        OutputStream out = Channels.newOutputStream(client);
                        BufferedReader in = new BufferedReader(
                                new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
                        out.write("{\"QMP\": {\"version\": {}, \"capabilities\": []}}\r\n"
                                .getBytes(StandardCharsets.UTF_8));
                        for (String reply : replies) {
                            received.add(in.readLine());
                            out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
                        }
                    } catch (IOException ignored) {
                        // The client went away; the test asserts on what it saw.
                    }
                },
                "qmp-fake");
        thread.setDaemon(true);
        thread.start();
        return socket;
    }

    @Test
    void negotiatesCapabilitiesAndSkipsEvents() throws IOException {
        Path socket = serve(
                List.of(
                        "{\"return\": {}}",
                        "{\"timestamp\": {}, \"event\": \"STOP\"}\r\n{\"return\": \"Hub -1 (net0):\\r\\n  TCP[HOST_FORWARD] 3 127.0.0.1 40123 10.0.2.15 22\\r\\n\"}"));
        try (Qmp qmp = Qmp.connect(socket)) {
            assertThat(qmp.human("info usernet")).contains("127.0.0.1 40123");
        }
        assertThat(received.get(0)).contains("qmp_capabilities");
        assertThat(received.get(1)).contains("human-monitor-command").contains("info usernet");
    }

    @Test
    void reportsQmpAndMonitorErrors() throws IOException {
        Path socket = serve(List.of(
                "{\"return\": {}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no such command\"}}",
                "{\"return\": \"Error: Snapshot 'ready' does not exist in one or more devices\\r\\n\"}"));
        try (Qmp qmp = Qmp.connect(socket)) {
            assertThatThrownBy(() -> qmp.execute("bogus", java.util.Map.of()))
                    .hasMessage("QMP bogus failed: no such command");
            assertThatThrownBy(() -> qmp.human("loadvm ready"))
                    .hasMessageContaining("'loadvm ready' failed: Error: Snapshot 'ready' does not exist");
        }
    }
}
