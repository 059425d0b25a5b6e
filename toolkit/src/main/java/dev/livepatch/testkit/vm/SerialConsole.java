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
 * The guest's serial console as QEMU writes it: copied to a per-guest log file, kept as a tail in memory,
 * and watched for kernel crashes.
 */
final class SerialConsole extends OutputStream {
    private static final int TAIL_LINES = 400;
    private static final Pattern CRASH =
            Pattern.compile("Kernel panic - not syncing|\\bOops\\b.*:|\\bBUG: |general protection fault|kernel BUG at");

    private final OutputStream log;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final Deque<String> tail = new ArrayDeque<>();
    private volatile String crash;

    SerialConsole(Path logFile) throws IOException {
        this.log = Files.newOutputStream(logFile);
    }

    @Override
    public synchronized void write(int b) throws IOException {
        log.write(b);
        if (b == '\n') {
            endLine();
        } else if (b != '\r') {
            line.write(b);
        }
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length; i++) {
            write(bytes[i]);
        }
        log.flush();
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        tail.addLast(text);
        if (tail.size() > TAIL_LINES) {
            tail.removeFirst();
        }
        if (crash == null && CRASH.matcher(text).find()) {
            crash = text.replaceFirst("^\\[\\s*[0-9.]+\\]\\s*", "");
        }
    }

    Optional<String> crash() {
        return Optional.ofNullable(crash);
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
