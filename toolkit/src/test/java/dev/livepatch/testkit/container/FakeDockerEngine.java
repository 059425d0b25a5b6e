package dev.livepatch.testkit.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A unix socket or loopback TCP port that reads one HTTP request per connection and sends a fixed reply, or none. */
final class FakeDockerEngine implements AutoCloseable {
    private final ServerSocketChannel server;
    private final String reply;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> silentConnections = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private FakeDockerEngine(StandardProtocolFamily family, SocketAddress address, String reply) throws IOException {
        this.server = ServerSocketChannel.open(family);
        this.server.bind(address);
        this.reply = reply;
        this.acceptor = new Thread(this::serve, "fake-docker-engine");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    static FakeDockerEngine replying(Path socket, String reply) throws IOException {
        return new FakeDockerEngine(StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(socket), reply);
    }

    /** Listens on a free loopback TCP port. */
    static FakeDockerEngine replyingOnTcp(String reply) throws IOException {
        return new FakeDockerEngine(
                StandardProtocolFamily.INET, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), reply);
    }

    /** Accepts connections and reads requests, but never answers. */
    static FakeDockerEngine silent(Path socket) throws IOException {
        return new FakeDockerEngine(StandardProtocolFamily.UNIX, UnixDomainSocketAddress.of(socket), null);
    }

    int port() throws IOException {
        return ((InetSocketAddress) server.getLocalAddress()).getPort();
    }

    List<String> requests() {
        return requests;
    }

    private void serve() {
        while (server.isOpen()) {
            try {
                SocketChannel connection = server.accept();
                requests.add(readRequest(connection));
                if (reply == null) {
                    silentConnections.add(connection);
                } else {
                    connection.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
                    connection.close();
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    private static String readRequest(SocketChannel connection) throws IOException {
        StringBuilder request = new StringBuilder();
        ByteBuffer buffer = ByteBuffer.allocate(256);
        while (request.indexOf("\r\n\r\n") < 0 && connection.read(buffer.clear()) > 0) {
            request.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
        }
        return request.toString();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (SocketChannel connection : silentConnections) {
            connection.close();
        }
    }
}
