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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QMP against an in-process unix-socket server speaking QEMU's framing: greeting, capabilities, events. */
class QmpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final String SILENCE = "";
    private static final String HANG_UP = "hang up";

    @TempDir
    Path dir;

    private final List<String> received = new CopyOnWriteArrayList<>();

    /** Serves one client: the greeting, then one scripted answer per request line. */
    private Path serve(List<String> answers) throws IOException {
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
                        write(out, "{\"QMP\": {\"version\": {}, \"capabilities\": []}}");
                        for (String answer : answers) {
                            received.add(in.readLine());
                            if (answer.equals(HANG_UP)) {
                                return;
                            }
                            if (!answer.equals(SILENCE)) {
                                write(out, answer);
                            }
                        }
                        in.readLine();
                    } catch (IOException ignored) {
                        // The client went away; the test asserts on what it saw.
                    }
                },
                "qmp-fake");
        thread.setDaemon(true);
        thread.start();
        return socket;
    }

    private static void write(OutputStream out, String message) throws IOException {
        out.write((message + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    @Test
    void negotiatesCapabilitiesAndSkipsEvents() throws IOException {
        Path socket = serve(List.of(
                "{\"return\": {}}",
                "{\"timestamp\": {}, \"event\": \"STOP\"}\r\n{\"return\": \"Hub -1 (net0):\\r\\n"
                        + "  TCP[HOST_FORWARD]  13  127.0.0.1 40123  10.0.2.15  22  0  0\\r\\n\"}"));
        try (Qmp qmp = Qmp.connect(socket, "test", TIMEOUT)) {
            assertThat(qmp.human("info usernet", TIMEOUT)).contains("127.0.0.1 40123");
        }
        assertThat(received.get(0)).isEqualTo("{\"execute\":\"qmp_capabilities\"}");
        assertThat(received.get(1))
                .contains("\"execute\":\"human-monitor-command\"")
                .contains("\"command-line\":\"info usernet\"");
    }

    @Test
    void reportsQmpAndMonitorErrors() throws IOException {
        Path socket = serve(List.of(
                "{\"return\": {}}",
                "{\"error\": {\"class\": \"GenericError\", \"desc\": \"no such command\"}}",
                "{\"return\": \"Error: Snapshot 'ready' does not exist in one or more devices\\r\\n\"}"));
        try (Qmp qmp = Qmp.connect(socket, "test", TIMEOUT)) {
            assertThatThrownBy(() -> qmp.execute("bogus", Map.of(), TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessage("QMP bogus failed: no such command");
            assertThatThrownBy(() -> qmp.human("loadvm ready", TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("'loadvm ready' failed: Error: Snapshot 'ready' does not exist");
        }
    }

    @Test
    void aCommandWithoutReplyTimesOutNamingTheCommand() throws IOException {
        Path socket = serve(List.of("{\"return\": {}}", SILENCE));
        try (Qmp qmp = Qmp.connect(socket, "test", TIMEOUT)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> qmp.human("savevm ready", Duration.ofMillis(200)))
                    .isInstanceOf(IOException.class)
                    .hasMessage("QEMU did not send the reply to QMP command human-monitor-command within 200 ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
    }

    @Test
    void aClosedSocketFailsTheCommandAtOnce() throws IOException {
        Path socket = serve(List.of("{\"return\": {}}", HANG_UP));
        try (Qmp qmp = Qmp.connect(socket, "test", TIMEOUT)) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> qmp.human("loadvm ready", TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessage("QEMU closed its QMP socket while we waited for the reply to QMP command"
                            + " human-monitor-command");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
            assertThatThrownBy(() -> qmp.human("info usernet", TIMEOUT)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aServerThatIsNotQmpIsRefused() throws IOException {
        Path socket = dir.resolve("other.sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread thread = new Thread(() -> {
            try (server;
                    SocketChannel client = server.accept()) {
                write(Channels.newOutputStream(client), "{\"hello\": 1}");
                new BufferedReader(new InputStreamReader(Channels.newInputStream(client))).readLine();
            } catch (IOException ignored) {
                // The client hung up, as it should.
            }
        });
        thread.setDaemon(true);
        thread.start();
        assertThatThrownBy(() -> Qmp.connect(socket, "test", TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessage("Unexpected QMP greeting: {\"hello\":1}");
    }
}
