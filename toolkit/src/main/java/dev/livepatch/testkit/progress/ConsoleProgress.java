package dev.livepatch.testkit.progress;

import dev.livepatch.testkit.lifecycle.Durations;
import java.io.PrintStream;
import java.time.Duration;

/**
 * Prints steps: one line per step, rewritten in place on a terminal, ending with ✓ and the time taken, or ✗ and
 * the reason.
 */
final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final boolean terminal;

    ConsoleProgress(PrintStream out) {
        this(out, System.console() != null);
    }

    ConsoleProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public Step start(String what) {
        long start = System.nanoTime();
        if (terminal) {
            out.print("\r\033[K… " + what);
            out.flush();
        }
        return new Step() {
            private boolean ended;

            @Override
            public void update(String detail) {
                if (terminal && !ended) {
                    out.print("\r\033[K… " + what + " " + detail);
                    out.flush();
                }
            }

            @Override
            public void succeeded() {
                end("✓ " + what + " (" + took() + ")");
            }

            @Override
            public void failed(String reason) {
                end("✗ " + what + " (failed after " + took() + "): " + reason);
            }

            private String took() {
                return Durations.format(Duration.ofNanos(System.nanoTime() - start));
            }

            private void end(String line) {
                if (!ended) {
                    ended = true;
                    out.println((terminal ? "\r\033[K" : "") + line);
                }
            }
        };
    }

    @Override
    public void note(String message) {
        out.println((terminal ? "\r\033[K" : "") + "! " + message);
    }
}
