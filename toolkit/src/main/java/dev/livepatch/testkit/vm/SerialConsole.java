package dev.livepatch.testkit.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The guest's serial console as QEMU writes it: copied to a per-guest log file, kept as a tail in memory, and
 * matched line by line for the image's ready line and for kernel crashes.
 */
final class SerialConsole extends OutputStream {
    /** What the images' init prints once networking is configured and the SSH server is about to start. */
    static final String READY_LINE = "livepatch-testkit: guest ready";

    private static final int TAIL_LINES = 400;
    private static final Pattern CRASH =
            Pattern.compile("Kernel panic - not syncing|\\bOops: |\\bBUG: |general protection fault|kernel BUG at");
    private static final Pattern TIMESTAMP = Pattern.compile("^\\[\\s*[0-9.]+\\]\\s*");

    private final OutputStream log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile String crash;
    private long lines;
    private long crashLineNumber;
    private volatile boolean readyLineSeen;

    SerialConsole(Path logFile) throws IOException {
        this.log = Files.newOutputStream(logFile);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        log.write(b);
        append(b);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        log.write(bytes, offset, length);
        log.flush();
        for (int i = offset; i < offset + length; i++) {
            append(bytes[i]);
        }
    }

    private void append(int b) {
        if (b == '\n') {
            endLine();
        } else if (b != '\r') {
            line.write(b);
        }
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        lines++;
        tail.addLast(text);
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        if (crash == null && CRASH.matcher(text).find()) {
            crash = TIMESTAMP.matcher(text).replaceFirst("");
            crashLineNumber = lines;
        }
        if (text.contains(READY_LINE)) {
            readyLineSeen = true;
        }
    }

    /** The first crash line (panic, oops, BUG, general protection fault) seen since the last {@link #restored()}. */
    Optional<String> crash() {
        return Optional.ofNullable(crash);
    }

    /** How many lines the console printed from the crash line on (0 without a crash). */
    synchronized int linesSinceCrash() {
        return crash == null ? 0 : (int) Math.min(Integer.MAX_VALUE, lines - crashLineNumber + 1);
    }

    boolean readyLineSeen() {
        return readyLineSeen;
    }

    /** The guest went back to its boot snapshot: crashes seen before belong to a state that no longer exists. */
    void restored() {
        crash = null;
    }

    synchronized String tail(int lines) {
        List<String> all = List.copyOf(tail);
        List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
        String partial = line.size() > 0 ? "\n" + line.toString(StandardCharsets.UTF_8) : "";
        return String.join("\n", last) + partial;
    }

    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            endLine();
        }
        log.close();
    }
}
