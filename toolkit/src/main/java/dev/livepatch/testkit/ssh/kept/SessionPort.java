package dev.livepatch.testkit.ssh.kept;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.ssh.SshException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The host end of the guest's SSH port (virtio serial port {@code testkit.ssh}, bridged in the guest to its SSH
 * server), connected once for the guest's life. A single thread reads it; each {@link #pipe()} is one session's
 * view of it. {@link #restart()} ends every view and throws away what the guest wrote before, so that a session
 * taken up after {@code loadvm} sees only what the restored guest writes.
 */
@API(status = INTERNAL, since = "0.2")
public final class SessionPort implements AutoCloseable {
    public static final String NAME = "testkit.ssh";
    private static final int CHUNK = 1 << 16;
    private static final Duration WRITE_WAIT = Duration.ofMillis(100);

    private final SocketChannel channel;
    private final Selector readable;
    private final Selector writable;
    private final Thread reader;
    private final Object lock = new Object();
    private final Object writeLock = new Object();
    private byte[] buffer = new byte[CHUNK];
    private int start;
    private int end;
    private long generation;
    private boolean readRequested;
    private boolean discardRequested;
    private boolean ended;
    private volatile boolean closed;

    private SessionPort(SocketChannel channel) throws IOException {
        this.channel = channel;
        channel.configureBlocking(false);
        this.readable = Selector.open();
        this.writable = Selector.open();
        channel.register(readable, SelectionKey.OP_READ);
        channel.register(writable, SelectionKey.OP_WRITE);
        this.reader = new Thread(this::readLoop, "lpt-session-port");
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to QEMU's socket for the port, waiting for QEMU to create it. */
    public static SessionPort connect(Path socket, Deadline deadline, Runnable failIfDead) {
        String[] lastError = {"the socket does not exist yet"};
        return deadline.poll(
                "QEMU's socket for the guest's SSH port " + socket,
                Duration.ofMillis(5),
                () -> {
                    failIfDead.run();
                    if (!Files.exists(socket)) {
                        return Optional.empty();
                    }
                    try {
                        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                        try {
                            channel.connect(UnixDomainSocketAddress.of(socket));
                            return Optional.of(new SessionPort(channel));
                        } catch (IOException e) {
                            channel.close();
                            throw e;
                        }
                    } catch (IOException e) {
                        lastError[0] = e.getMessage();
                        return Optional.empty();
                    }
                },
                () -> lastError[0]);
    }

    /** A view for one session, reading from now on; it ends at the next {@link #restart()}. */
    public SessionPipe pipe() {
        synchronized (lock) {
            return new Pipe(generation);
        }
    }

    /** Whether the guest's end wrote anything not yet read, e.g. its SSH server's banner. */
    public boolean hasInput(Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        synchronized (lock) {
            while (end == start && !ended) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                waitOn(left);
            }
            return end > start;
        }
    }

    /**
     * Reads everything the guest wrote so far and says how many bytes no view has read. Call it with the guest
     * stopped: then nothing can follow.
     */
    public int settle() {
        synchronized (lock) {
            readAllNow(false);
            return end - start;
        }
    }

    /**
     * Ends every view and throws away all the guest wrote until now. Call it with the guest stopped, after
     * {@code loadvm}: what is left in the socket then is from the guest's past, not from the restored guest.
     */
    public void restart() {
        synchronized (lock) {
            readAllNow(true);
            start = 0;
            end = 0;
            generation++;
            lock.notifyAll();
        }
    }

    /** Has the reader empty the socket (keeping or dropping what it reads) and waits until it did; holds the lock. */
    private void readAllNow(boolean discard) {
        readRequested = true;
        discardRequested = discard;
        readable.wakeup();
        while (readRequested && !ended) {
            waitOn(Duration.ofMillis(100).toNanos());
        }
    }

    private void waitOn(long nanos) {
        try {
            lock.wait(Math.max(1, nanos / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException("Interrupted while waiting for the guest's SSH port", e);
        }
    }

    private void readLoop() {
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK);
        try {
            while (!closed) {
                readable.select();
                readable.selectedKeys().clear();
                synchronized (lock) {
                    boolean open = readAvailable(chunk, readRequested && discardRequested);
                    readRequested = false;
                    if (!open) {
                        ended = true;
                    }
                    lock.notifyAll();
                    if (!open) {
                        return;
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // QEMU went away, or close() ended the port.
            synchronized (lock) {
                ended = true;
                lock.notifyAll();
            }
        }
    }

    /** Reads until the socket has nothing more; false when QEMU closed it. */
    private boolean readAvailable(ByteBuffer chunk, boolean discard) throws IOException {
        while (true) {
            chunk.clear();
            int n = channel.read(chunk);
            if (n < 0) {
                return false;
            }
            if (n == 0) {
                return true;
            }
            if (!discard) {
                append(chunk.array(), n);
            }
        }
    }

    private void append(byte[] bytes, int length) {
        if (end + length > buffer.length) {
            int used = end - start;
            byte[] grown =
                    used + length > buffer.length ? new byte[Math.max(buffer.length * 2, used + length)] : buffer;
            System.arraycopy(buffer, start, grown, 0, used);
            buffer = grown;
            start = 0;
            end = used;
        }
        System.arraycopy(bytes, 0, buffer, end, length);
        end += length;
    }

    private int read(long view, byte[] into, int offset, int length) throws IOException {
        synchronized (lock) {
            while (true) {
                if (view != generation) {
                    return -1;
                }
                if (end > start) {
                    int n = Math.min(length, end - start);
                    System.arraycopy(buffer, start, into, offset, n);
                    start += n;
                    return n;
                }
                if (ended) {
                    return -1;
                }
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while reading the guest's SSH port");
                }
            }
        }
    }

    private void write(long view, byte[] bytes, int offset, int length) throws IOException {
        synchronized (writeLock) {
            ByteBuffer data = ByteBuffer.wrap(bytes, offset, length);
            while (data.hasRemaining()) {
                synchronized (lock) {
                    if (view != generation) {
                        return;
                    }
                }
                if (channel.write(data) == 0) {
                    writable.select(WRITE_WAIT.toMillis());
                    writable.selectedKeys().clear();
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            generation++;
            lock.notifyAll();
        }
        readable.wakeup();
        try {
            channel.close();
            readable.close();
            writable.close();
        } catch (IOException ignored) {
            // QEMU's end goes away with the guest.
        }
    }

    /** One session's view: reads end and writes go nowhere once the port restarted or the view was closed. */
    private final class Pipe implements SessionPipe {
        private final long view;
        private volatile boolean pipeClosed;

        Pipe(long view) {
            this.view = view;
        }

        private long current() {
            return pipeClosed ? -1 : view;
        }

        @Override
        public InputStream input() {
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] into, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    return SessionPort.this.read(current(), into, offset, length);
                }
            };
        }

        @Override
        public OutputStream output() {
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    SessionPort.this.write(current(), bytes, offset, length);
                }
            };
        }

        @Override
        public void close() {
            pipeClosed = true;
            synchronized (lock) {
                lock.notifyAll();
            }
        }

        @Override
        public String toString() {
            return "view " + view + " of the guest's SSH port" + (pipeClosed ? " (closed)" : "");
        }
    }

    @Override
    public String toString() {
        return "the guest's SSH port";
    }
}
