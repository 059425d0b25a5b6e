package dev.livepatch.testkit.process;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.util.List;
import org.apiguardian.api.API;

/** The outcome of a finished command, on the host or in a guest. */
@API(status = STABLE, since = "0.1")
public record ExecResult(String command, int exitCode, String stdout, String stderr, Duration duration) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** The last {@code count} lines of stderr (or of stdout when stderr is empty), for error messages. */
    public String outputTail(int count) {
        String text = stderr.isBlank() ? stdout : stderr;
        List<String> lines = text.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    }
}
