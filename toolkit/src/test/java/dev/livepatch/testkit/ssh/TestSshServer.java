package dev.livepatch.testkit.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.common.keyprovider.FileKeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;

/**
 * An in-process SSH server on 127.0.0.1 standing in for a guest: an ed25519 host key, public-key login against an
 * authorized_keys file, and exec requests run by {@code sh -c}. Keys are made with {@link SshKeys}.
 */
final class TestSshServer implements AutoCloseable {
    private final SshServer server;
    private final SshTarget target;
    private final BlockingQueue<String> started;
    private final AtomicInteger sessions;

    private TestSshServer(SshServer server, SshTarget target, BlockingQueue<String> started, AtomicInteger sessions) {
        this.server = server;
        this.target = target;
        this.started = started;
        this.sessions = sessions;
    }

    /** Starts a server with fresh host and user keys kept in {@code folder}. */
    static TestSshServer start(Path folder) throws IOException {
        Path hostKeyFile = folder.resolve("host/ssh_host_ed25519_key");
        String hostKey = SshKeys.generateUserKey(hostKeyFile, "test-host");
        Path userKey = folder.resolve("client/id_ed25519");
        Path authorizedKeys = folder.resolve("authorized_keys");
        Files.writeString(
                authorizedKeys, SshKeys.generateUserKey(userKey, "test-user") + "\n", StandardCharsets.US_ASCII);
        SshServer server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new FileKeyPairProvider(hostKeyFile));
        server.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(authorizedKeys));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        BlockingQueue<String> started = new LinkedBlockingQueue<>();
        server.setCommandFactory((channel, command) -> new ShellCommand(command, () -> started.add(command)));
        AtomicInteger sessions = new AtomicInteger();
        server.addSessionListener(new SessionListener() {
            @Override
            public void sessionCreated(Session session) {
                sessions.incrementAndGet();
            }
        });
        server.start();
        SshTarget target = new SshTarget("127.0.0.1", server.getPort(), "root", userKey, hostKey);
        return new TestSshServer(server, target, started, sessions);
    }

    SshTarget target() {
        return target;
    }

    /** How many SSH sessions (connections) clients have opened so far. */
    int sessionsOpened() {
        return sessions.get();
    }

    /** Waits until the server has started {@code command}. */
    void awaitStart(String command, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (true) {
            String next = started.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (next == null) {
                throw new IllegalStateException("The test server did not start '" + command + "' within " + limit);
            }
            if (next.equals(command)) {
                return;
            }
        }
    }

    /** Stops at once, dropping every connection like a killed guest. */
    void kill() {
        try {
            server.stop(true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
