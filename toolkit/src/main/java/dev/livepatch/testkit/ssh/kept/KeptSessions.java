package dev.livepatch.testkit.ssh.kept;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.GuestShells;
import dev.livepatch.testkit.ssh.HandshakeRandom;
import dev.livepatch.testkit.ssh.JschConnector;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apiguardian.api.API;

/**
 * Opens kept sessions over a {@link SessionPipe}: {@link #open} makes one with a fresh seed and records it,
 * {@link #resume} makes it again from its transcript without the server taking part. Both go through the same JSch
 * configuration, so under the same seed the client sends the same bytes.
 */
@API(status = INTERNAL, since = "0.2")
public final class KeptSessions {
    private static final int SEED_BYTES = 32;

    private KeptSessions() {}

    /**
     * A shell over a session opened on {@code pipe} and recorded, to be kept in a snapshot.
     *
     * @param bytesReadSince how many bytes the server sent after the handshake: none may come before the snapshot
     *     is taken, or the recorded handshake would not lead to the snapshot's state
     */
    public record KeptShell(GuestShell shell, SessionTranscript transcript, LongSupplier bytesReadSince) {}

    /** Opens a session over {@code pipe} (see {@link SessionTranscript}) and records how. */
    public static KeptShell open(SshTarget target, SessionPipe pipe, Duration timeout) {
        byte[] seed = new byte[SEED_BYTES];
        new SecureRandom().nextBytes(seed);
        Recording recording = new Recording(pipe);
        Opened opened = HandshakeRandom.seeded(
                seed,
                () -> Opened.withLoop(
                        JschConnector.connect(target, factory(pipe, recording.input, recording.output), timeout),
                        target,
                        Optional.empty(),
                        timeout));
        SessionTranscript transcript = recording.stop(seed, opened.loop().channelId());
        return new KeptShell(
                GuestShells.over(target, opened.session(), opened.loop()), transcript, recording::readAfterStop);
    }

    /**
     * Takes up the session of {@code transcript} over {@code pipe}, whose server end was restored from the snapshot
     * taken right after it was recorded: no handshake reaches the guest. Fails with {@link SshException} when this
     * client does not make the recorded handshake (nothing was sent to the guest then).
     */
    public static GuestShell resume(
            SshTarget target, SessionPipe pipe, SessionTranscript transcript, Duration timeout) {
        Replay replay = new Replay(pipe, transcript);
        Opened opened;
        try {
            opened = HandshakeRandom.seeded(
                    transcript.seed(),
                    () -> Opened.withLoop(
                            JschConnector.connect(target, factory(pipe, replay.input, replay.output), timeout),
                            target,
                            Optional.of(transcript.loopChannel()),
                            timeout));
        } catch (SshException e) {
            throw replay.explain(e);
        }
        try {
            replay.goLive();
        } catch (SshException e) {
            opened.session().disconnect();
            throw e;
        }
        return GuestShells.over(target, opened.session(), opened.loop());
    }

    /**
     * A session with its command loop, opened on the seeded thread: the loop's requests are padded with random bytes
     * too.
     */
    private record Opened(Session session, CommandLoop loop) {
        static Opened withLoop(Session session, SshTarget target, Optional<Integer> channelId, Duration timeout) {
            try {
                return new Opened(session, CommandLoop.open(session, target, channelId, timeout));
            } catch (SshException e) {
                session.disconnect();
                throw e;
            }
        }
    }

    private static SocketFactory factory(SessionPipe pipe, InputStream input, OutputStream output) {
        return new SocketFactory() {
            @Override
            public Socket createSocket(String host, int port) {
                return new PipeSocket(pipe, input, output);
            }

            @Override
            public InputStream getInputStream(Socket socket) {
                return input;
            }

            @Override
            public OutputStream getOutputStream(Socket socket) {
                return output;
            }
        };
    }

    /**
     * Copies what passes through the pipe until stopped, with how much the client had sent when each server byte was
     * read; then counts what the server sent after that.
     */
    private static final class Recording {
        private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        private final ByteArrayOutputStream received = new ByteArrayOutputStream();
        private final List<Integer> gates = new ArrayList<>();
        private volatile boolean stopped;
        private volatile long readAfterStop;
        final InputStream input;
        final OutputStream output;

        Recording(SessionPipe pipe) {
            InputStream in = pipe.input();
            OutputStream out = pipe.output();
            this.input = new BlockStreams.Input() {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        if (stopped) {
                            readAfterStop += n;
                        } else {
                            int gate;
                            synchronized (sent) {
                                gate = sent.size();
                            }
                            synchronized (received) {
                                received.write(buffer, offset, n);
                                gates.addAll(Collections.nCopies(n, gate));
                            }
                        }
                    }
                    return n;
                }
            };
            this.output = new BlockStreams.Output() {
                @Override
                public void write(byte[] buffer, int offset, int length) throws IOException {
                    if (!stopped) {
                        synchronized (sent) {
                            sent.write(buffer, offset, length);
                        }
                    }
                    out.write(buffer, offset, length);
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }
            };
        }

        SessionTranscript stop(byte[] seed, int loopChannel) {
            stopped = true;
            byte[] client;
            synchronized (sent) {
                client = sent.toByteArray();
            }
            synchronized (received) {
                int[] serverGates = gates.stream().mapToInt(Integer::intValue).toArray();
                return new SessionTranscript(seed, client, received.toByteArray(), serverGates, loopChannel);
            }
        }

        long readAfterStop() {
            return readAfterStop;
        }
    }

    /**
     * Feeds JSch the server's recorded bytes and checks that it sends the recorded client bytes, which go nowhere:
     * the server end already had them. Live from {@link #goLive()} on.
     */
    private static final class Replay {
        private final SessionTranscript transcript;
        private final byte[] expected;
        private final byte[] server;
        private final int[] gates;
        private volatile boolean live;
        private int position;
        private int served;
        private String divergence;
        final InputStream input;
        final OutputStream output;

        Replay(SessionPipe pipe, SessionTranscript transcript) {
            this.transcript = transcript;
            this.expected = transcript.clientBytes();
            this.server = transcript.serverBytes();
            this.gates = transcript.serverGates();
            InputStream in = pipe.input();
            OutputStream out = pipe.output();
            this.input = new BlockStreams.Input() {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = recorded(buffer, offset, length);
                    return n >= 0 ? n : in.read(buffer, offset, length);
                }
            };
            this.output = new BlockStreams.Output() {
                @Override
                public void write(byte[] buffer, int offset, int length) throws IOException {
                    if (live) {
                        out.write(buffer, offset, length);
                        return;
                    }
                    compare(buffer, offset, length);
                }

                @Override
                public void flush() throws IOException {
                    if (live) {
                        out.flush();
                    }
                }
            };
        }

        /**
         * The next recorded server bytes, once the client has sent what it had sent when they were read; -1 when all
         * were read. Waits for the client meanwhile (JSch's reader thread does), unless the replay has failed.
         */
        private synchronized int recorded(byte[] buffer, int offset, int length) throws IOException {
            if (served >= server.length) {
                return -1;
            }
            while (position < gates[served]) {
                if (divergence != null || live) {
                    throw new IOException("kept session: the replay ended before the server's recorded bytes");
                }
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("kept session: interrupted while replaying", e);
                }
            }
            int count = 0;
            while (count < length && served < server.length && gates[served] <= position) {
                buffer[offset + count++] = server[served++];
            }
            return count;
        }

        private synchronized void compare(byte[] buffer, int offset, int length) throws IOException {
            for (int i = 0; i < length; i++) {
                if (position >= expected.length || expected[position] != buffer[offset + i]) {
                    divergence = "the client sent "
                            + (position >= expected.length
                                    ? "more than the " + expected.length + " bytes recorded"
                                    : "a different byte at offset " + position + " of " + expected.length);
                    notifyAll();
                    throw new IOException("kept session: " + divergence);
                }
                position++;
            }
            notifyAll();
        }

        synchronized void goLive() {
            int unread = server.length - served;
            if (position != expected.length || unread != 0) {
                throw new SshException("The kept SSH session could not be taken up: the handshake ended after "
                        + position + " of " + expected.length + " recorded client bytes, with " + unread
                        + " recorded server bytes unread");
            }
            live = true;
            notifyAll();
        }

        SshException explain(SshException failure) {
            String why;
            synchronized (this) {
                why = divergence;
            }
            if (why == null) {
                return failure;
            }
            return new SshException(
                    "The kept SSH session could not be taken up: " + why + " (this SSH client does"
                            + " not make the handshake it recorded; the transcript holds " + transcript + ")",
                    failure);
        }
    }
}
