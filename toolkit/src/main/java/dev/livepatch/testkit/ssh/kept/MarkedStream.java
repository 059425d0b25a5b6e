package dev.livepatch.testkit.ssh.kept;

import dev.livepatch.testkit.lifecycle.Deadline;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * One output stream of the {@link CommandLoop}, as JSch's session thread delivers it: each command's output lies
 * between a start line {@code <nonce> <} and an end mark {@code <nonce> >} (on stdout followed by the exit status)
 * ending its line. Anything before the start line belongs to no command and is dropped.
 */
final class MarkedStream extends OutputStream {
    /** A command's output and, on stdout, its exit status. */
    record Section(String text, int status) {}

    private byte[] buffer = new byte[8192];
    private int length;
    private boolean closed;

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int count) {
        if (length + count > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
        }
        System.arraycopy(bytes, offset, buffer, length, count);
        length += count;
        notifyAll();
    }

    /** JSch closes the stream when the channel closes: the loop has ended, or its session. */
    @Override
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Waits for the output of the command sent with {@code nonce}, and drops it with everything before it.
     *
     * @param withStatus whether the end mark carries the exit status (stdout)
     * @return empty when the deadline passed or the stream closed first
     */
    synchronized Optional<Section> await(String nonce, boolean withStatus, Deadline deadline)
            throws InterruptedException {
        byte[] start = (nonce + " <\n").getBytes(StandardCharsets.US_ASCII);
        byte[] end = (nonce + " >").getBytes(StandardCharsets.US_ASCII);
        while (true) {
            int from = indexOf(start, 0);
            if (from >= 0) {
                int textStart = from + start.length;
                int mark = indexOf(end, textStart);
                int lineEnd = mark < 0 ? -1 : indexOf(new byte[] {'\n'}, mark + end.length);
                if (lineEnd >= 0) {
                    String text = new String(buffer, textStart, mark - textStart, StandardCharsets.UTF_8);
                    String status = new String(
                            buffer, mark + end.length, lineEnd - mark - end.length, StandardCharsets.US_ASCII);
                    consume(lineEnd + 1);
                    return Optional.of(new Section(text, withStatus ? Integer.parseInt(status) : 0));
                }
            }
            long waitMillis = deadline.remaining().toMillis();
            if (closed || waitMillis <= 0) {
                return Optional.empty();
            }
            wait(waitMillis);
        }
    }

    /** What the command sent with {@code nonce} has written so far, for an error message. */
    synchronized String pending(String nonce) {
        byte[] start = (nonce + " <\n").getBytes(StandardCharsets.US_ASCII);
        int from = indexOf(start, 0);
        int textStart = from < 0 ? 0 : from + start.length;
        return new String(buffer, textStart, length - textStart, StandardCharsets.UTF_8);
    }

    private int indexOf(byte[] needle, int from) {
        outer:
        for (int i = from; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private void consume(int count) {
        System.arraycopy(buffer, count, buffer, 0, length - count);
        length -= count;
    }
}
