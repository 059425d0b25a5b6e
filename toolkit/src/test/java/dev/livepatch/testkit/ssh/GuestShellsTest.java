package dev.livepatch.testkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.lifecycle.Deadline;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestShellsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    private TestSshServer server;

    @BeforeEach
    void start() throws IOException {
        server = TestSshServer.start(folder);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aGuestWithAnotherHostKeyIsRefusedWithBothFingerprints() {
        String otherKey = SshKeys.generateHostKey("impostor").publicKey();
        SshTarget real = server.target();
        SshTarget pinnedToOther = new SshTarget(real.host(), real.port(), real.user(), real.privateKey(), otherKey);

        assertThatThrownBy(() -> GuestShells.connect(pinnedToOther, TIMEOUT))
                .isInstanceOf(HostKeyMismatchException.class)
                .hasMessageStartingWith("The guest's host key does not match the pinned key of the image: the guest at"
                        + " 127.0.0.1:" + real.port() + " offered host key " + SshKeys.fingerprint(real.hostKey())
                        + " but the image pins " + SshKeys.fingerprint(otherKey) + ".")
                .hasMessageContaining("rebuild the image or run './testkit cache clean'");
    }

    @Test
    void anUnknownUserKeyIsRefused() {
        Path strangerKey = folder.resolve("stranger/id_ed25519");
        SshKeys.generateUserKey(strangerKey, "stranger");
        SshTarget real = server.target();
        SshTarget stranger = new SshTarget(real.host(), real.port(), real.user(), strangerKey, real.hostKey());

        assertThatThrownBy(() -> GuestShells.connect(stranger, TIMEOUT))
                .isInstanceOf(SshException.class)
                .isNotInstanceOf(HostKeyMismatchException.class)
                .hasMessageStartingWith("Could not connect over SSH to root@127.0.0.1:" + real.port()
                        + ": the guest refused the key " + strangerKey + " for user 'root'")
                .hasMessageContaining("authorized_keys does not hold this key");
    }

    @Test
    void aMissingPrivateKeyIsNamed() {
        SshTarget real = server.target();
        Path missing = folder.resolve("nowhere/id_ed25519");
        SshTarget target = new SshTarget(real.host(), real.port(), real.user(), missing, real.hostKey());

        assertThatThrownBy(() -> GuestShells.connect(target, TIMEOUT))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("The SSH private key " + missing + " for 127.0.0.1:" + real.port()
                        + " is missing or unreadable");
    }

    @Test
    void aPortWithoutServerFailsAtOnceSoThatCallersCanPoll() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        SshTarget nobody = withPort(port);
        Deadline attempt = Deadline.after(TIMEOUT);

        assertThatThrownBy(() -> GuestShells.connect(nobody, TIMEOUT))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith(
                        "Could not connect over SSH to root@127.0.0.1:" + port + ": nothing listens on that port");
        assertThat(attempt.elapsed()).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void aPortThatResetsTheConnectionFailsAtOnce() throws IOException {
        try (ServerSocket resetting = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> acceptor = CompletableFuture.runAsync(() -> {
                try (Socket accepted = resetting.accept()) {
                    accepted.setSoLinger(true, 0);
                } catch (IOException ignored) {
                    // The test closes the server socket when it is done.
                }
            });
            SshTarget starting = withPort(resetting.getLocalPort());
            Deadline attempt = Deadline.after(TIMEOUT);

            assertThatThrownBy(() -> GuestShells.connect(starting, TIMEOUT))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("the connection was closed before the SSH handshake finished");
            assertThat(attempt.elapsed()).isLessThan(Duration.ofSeconds(1));
            acceptor.join();
        }
    }

    @Test
    void closingTheShellDisconnects() {
        GuestShell shell = GuestShells.connect(server.target(), TIMEOUT);
        assertThat(shell.isConnected()).isTrue();

        shell.close();

        assertThat(shell.isConnected()).isFalse();
    }

    private SshTarget withPort(int port) {
        SshTarget real = server.target();
        return new SshTarget(real.host(), port, real.user(), real.privateKey(), real.hostKey());
    }
}
