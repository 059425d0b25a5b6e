package dev.livepatch.testkit.ssh;

import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.SecureRandom;
import java.time.Duration;

/**
 * Opens kept sessions over a {@link SessionPipe}: {@link #open} makes one with a fresh seed and records it,
 * {@link #resume} makes it again from its transcript without the server taking part. Both go through the same JSch
 * configuration, so under the same seed the client sends the same bytes.
 */
final class KeptSessions {
    private static final int SEED_BYTES = 32;

    private KeptSessions() {}

    static GuestShells.KeptShell open(SshTarget target, SessionPipe pipe, Duration timeout) {
        byte[] seed = new byte[SEED_BYTES];
        new SecureRandom().nextBytes(seed);
        Recording recording = new Recording(pipe);
        Session session = HandshakeRandom.seeded(
                seed, () -> JschConnector.connect(target, factory(pipe, recording.input, recording.output), timeout));
        recording.stop();
        SessionTranscript transcript =
                new SessionTranscript(seed, recording.sent.toByteArray(), recording.received.toByteArray());
        return new GuestShells.KeptShell(new JschGuestShell(target, session), transcript, recording::readAfterStop);
    }

    static GuestShell resume(SshTarget target, SessionPipe pipe, SessionTranscript transcript, Duration timeout) {
        Replay replay = new Replay(pipe, transcript);
        Session session;
        try {
            session = HandshakeRandom.seeded(
                    transcript.seed(),
                    () -> JschConnector.connect(target, factory(pipe, replay.input, replay.output), timeout));
        } catch (SshException e) {
            throw replay.explain(e);
        }
        try {
            replay.goLive();
        } catch (SshException e) {
            session.disconnect();
            throw e;
        }
        return new JschGuestShell(target, session);
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

    /** Copies what passes through the pipe until stopped, then counts what the server sent after that. */
    private static final class Recording {
        final ByteArrayOutputStream sent = new ByteArrayOutputStream();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
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
                            synchronized (received) {
                                received.write(buffer, offset, n);
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

        void stop() {
            stopped = true;
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
        private final ByteArrayInputStream recorded;
        private volatile boolean live;
        private int position;
        private String divergence;
        final InputStream input;
        final OutputStream output;

        Replay(SessionPipe pipe, SessionTranscript transcript) {
            this.transcript = transcript;
            this.expected = transcript.clientBytes();
            this.recorded = new ByteArrayInputStream(transcript.serverBytes());
            InputStream in = pipe.input();
            OutputStream out = pipe.output();
            this.input = new BlockStreams.Input() {
                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    synchronized (recorded) {
                        if (recorded.available() > 0) {
                            return recorded.read(buffer, offset, length);
                        }
                    }
                    return in.read(buffer, offset, length);
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

        private synchronized void compare(byte[] buffer, int offset, int length) throws IOException {
            for (int i = 0; i < length; i++) {
                if (position >= expected.length || expected[position] != buffer[offset + i]) {
                    divergence = "the client sent "
                            + (position >= expected.length
                                    ? "more than the " + expected.length + " bytes recorded"
                                    : "a different byte at offset " + position + " of " + expected.length);
                    throw new IOException("kept session: " + divergence);
                }
                position++;
            }
        }

        synchronized void goLive() {
            int unread;
            synchronized (recorded) {
                unread = recorded.available();
            }
            if (position != expected.length || unread != 0) {
                throw new SshException("The kept SSH session could not be taken up: the handshake ended after "
                        + position + " of " + expected.length + " recorded client bytes, with " + unread
                        + " recorded server bytes unread");
            }
            live = true;
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
