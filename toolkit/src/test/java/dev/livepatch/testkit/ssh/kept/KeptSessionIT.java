package dev.livepatch.testkit.ssh.kept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.Dropbear;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.GuestShells;
import dev.livepatch.testkit.ssh.JschConnector;
import dev.livepatch.testkit.ssh.RemoteCommand;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sessions kept for boot snapshots (recorded, replayed, their command loop) against Debian's real dropbear. */
class KeptSessionIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path folder;

    private static Dropbear dropbear;

    @BeforeAll
    static void startDropbear() throws IOException {
        dropbear = Dropbear.startWithFreshKeys(folder, SshKeys.generateHostKey("guest"));
    }

    @AfterAll
    static void stopDropbear() throws InterruptedException {
        if (dropbear != null) {
            dropbear.close();
        }
    }

    @Test
    void aKeptSessionIsTakenUpFromItsTranscriptAloneAndRunsCommandsLive() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", dropbear.target().port())) {
            KeptSessions.KeptShell kept = KeptSessions.open(dropbear.target(), new SocketPipe(socket), TIMEOUT);
            assertThat(kept.shell().run("echo recorded", TIMEOUT).stdout()).isEqualTo("recorded\n");
            assertThat(kept.transcript().serverBytes()).startsWith("SSH-2.0-".getBytes(StandardCharsets.US_ASCII));
            // Another session's command takes a channel number: JSch's counter moves on before the replay.
            try (GuestShell other = GuestShells.connect(dropbear.target(), TIMEOUT)) {
                other.run("true", TIMEOUT);
            }

            // No server: the handshake and the command loop's channel are made again from the transcript only.
            try (GuestShell taken =
                    KeptSessions.resume(dropbear.target(), new SilentPipe(), kept.transcript(), TIMEOUT)) {
                assertThat(taken.isConnected()).isTrue();
            }
            kept.shell().close();
        }
    }

    @Test
    void aKeptSessionRunsItsCommandsInOneLoopEachInASubshellOfItsOwn() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", dropbear.target().port())) {
            GuestShell shell = KeptSessions.open(dropbear.target(), new SocketPipe(socket), TIMEOUT)
                    .shell();
            // $$ is the loop's shell in every subshell; each exec channel would start a shell of its own.
            String loop = shell.run("echo $$", TIMEOUT).stdout();
            assertThat(shell.run("echo $$", TIMEOUT).stdout()).isEqualTo(loop);

            ExecResult result = shell.exec("echo out; echo err >&2; exit 4", TIMEOUT);
            assertThat(result.exitCode()).isEqualTo(4);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            assertThat(shell.run("printf 'no newline'", TIMEOUT).stdout()).isEqualTo("no newline");
            assertThat(shell.run("cd /; x=set; echo \"$x\"", TIMEOUT).stdout()).isEqualTo("set\n");
            assertThat(shell.run("pwd; echo \"[$x]\"", TIMEOUT).stdout())
                    .isEqualTo(folder.resolve("server/home") + "\n[]\n");
            assertThat(shell.run("cat <<'EOF'\n  two\n\\lines\nEOF", TIMEOUT).stdout())
                    .isEqualTo("  two\n\\lines\n");

            byte[] input = new byte[100_000];
            new Random(7).nextBytes(input);
            ExecResult copied = shell.exec("od -An -tx1 -v | tr -d ' \\n'; echo; exit 5", input, TIMEOUT);
            assertThat(copied.exitCode()).isEqualTo(5);
            assertThat(copied.stdout().strip())
                    .isEqualTo(java.util.HexFormat.of().formatHex(input));
            assertThat(shell.exec("cat", new byte[0], TIMEOUT).stdout()).isEmpty();
            assertThat(shell.run("echo $$", TIMEOUT).stdout())
                    .as("still the same loop")
                    .isEqualTo(loop);
            shell.close();
        }
    }

    @Test
    void aLoopTakenUpUnderItsRecordedNumberKeepsItFromLaterChannels() throws Exception {
        // A new JVM numbers channels from 0 again: the loop's recorded number lies ahead of the counter.
        Field counter = com.jcraft.jsch.Channel.class.getDeclaredField("index");
        counter.setAccessible(true);
        ((AtomicInteger) counter.get(null)).set(0);
        com.jcraft.jsch.Session session = JschConnector.connect(dropbear.target(), TIMEOUT);
        try (CommandLoop loop = CommandLoop.open(session, dropbear.target(), Optional.of(5), TIMEOUT)) {
            assertThat(loop.channelId()).isEqualTo(5);
            String loopShell =
                    loop.tryRun("echo $$", new byte[0], TIMEOUT).orElseThrow().stdout();
            for (int i = 0; i < 8; i++) {
                ExecResult own = new RemoteCommand(session, dropbear.target(), "echo $$").run(null, TIMEOUT);
                assertThat(own.stdout()).isNotEqualTo(loopShell);
            }
            assertThat(loop.tryRun("echo $$", new byte[0], TIMEOUT)
                            .orElseThrow()
                            .stdout())
                    .isEqualTo(loopShell);
        } finally {
            session.disconnect();
        }
    }

    @Test
    void whileTheLoopIsBusyOrBrokenCommandsTakeChannelsOfTheirOwn() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", dropbear.target().port())) {
            GuestShell shell = KeptSessions.open(dropbear.target(), new SocketPipe(socket), TIMEOUT)
                    .shell();
            String loop = shell.run("echo $$", TIMEOUT).stdout();
            Path started = folder.resolve("slow-command-started");
            java.util.concurrent.CompletableFuture<ExecResult> slow =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> shell.run("touch " + started + "; sleep 2; echo $$", TIMEOUT));
            Deadline.after(TIMEOUT)
                    .poll(
                            "the slow command to start in the loop",
                            Duration.ofMillis(10),
                            () -> Files.exists(started) ? Optional.of(true) : Optional.empty(),
                            () -> "not started");
            assertThat(shell.run("echo $$", TIMEOUT).stdout())
                    .as("beside the busy loop")
                    .isNotEqualTo(loop);
            assertThat(slow.get().stdout()).isEqualTo(loop);

            SshException overran = catchThrowableOfType(
                    SshException.class, () -> shell.run("echo started; sleep 30", Duration.ofSeconds(1)));
            assertThat(overran)
                    .hasMessageContaining(
                            "did not finish within 1 s and was stopped; output so far:\n[stdout]\nstarted")
                    .hasMessageEndingWith("[stderr: empty]");
            assertThat(shell.run("echo after", TIMEOUT).stdout()).isEqualTo("after\n");
            assertThat(shell.run("echo $$", TIMEOUT).stdout())
                    .as("the loop is gone")
                    .isNotEqualTo(loop);
            shell.close();
        }
    }

    @Test
    void aTranscriptThisClientDoesNotReproduceIsRefusedBeforeAnythingReachesTheServer() throws IOException {
        SessionTranscript recorded;
        try (Socket socket = new Socket("127.0.0.1", dropbear.target().port())) {
            KeptSessions.KeptShell kept = KeptSessions.open(dropbear.target(), new SocketPipe(socket), TIMEOUT);
            recorded = kept.transcript();
            kept.shell().close();
        }
        byte[] otherSeed = recorded.seed();
        otherSeed[0] ^= 1;
        SilentPipe pipe = new SilentPipe();
        SessionTranscript other = new SessionTranscript(
                otherSeed,
                recorded.clientBytes(),
                recorded.serverBytes(),
                recorded.serverGates(),
                recorded.loopChannel());

        assertThatThrownBy(() -> KeptSessions.resume(dropbear.target(), pipe, other, TIMEOUT))
                .isInstanceOf(SshException.class)
                .hasMessageContaining(
                        "The kept SSH session could not be taken up: the client sent a different byte" + " at offset");
        assertThat(pipe.written()).isZero();
    }

    /** A TCP connection as a pipe, as the guest's SSH port is one to the host. */
    private record SocketPipe(Socket socket) implements SessionPipe {
        @Override
        public InputStream input() {
            try {
                return socket.getInputStream();
            } catch (IOException e) {
                throw new SshException("socket closed", e);
            }
        }

        @Override
        public OutputStream output() {
            try {
                return socket.getOutputStream();
            } catch (IOException e) {
                throw new SshException("socket closed", e);
            }
        }

        @Override
        public void close() {}
    }

    /** A pipe to nobody: it never answers and counts what is written to it. */
    private static final class SilentPipe implements SessionPipe {
        private final AtomicLong written = new AtomicLong();
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    try {
                        closed.await();
                    } catch (InterruptedException e) {
                        throw new InterruptedIOException();
                    }
                    return -1;
                }
            };
        }

        @Override
        public OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    written.incrementAndGet();
                }
            };
        }

        long written() {
            return written.get();
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }
}
