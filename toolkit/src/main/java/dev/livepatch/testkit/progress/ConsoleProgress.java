package dev.livepatch.testkit.progress;

import dev.livepatch.testkit.lifecycle.Durations;
import java.io.PrintStream;
import java.time.Duration;

/** Prints steps to a terminal: one line per step, rewritten in place on a TTY, with the time taken. */
final class ConsoleProgress implements Progress {
    private final PrintStream out;
    private final boolean terminal = System.console() != null;

    ConsoleProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public Step start(String what) {
        long start = System.nanoTime();
        if (terminal) {
            out.print("\r\033[K… " + what);
            out.flush();
        }
        return new Step() {
            @Override
            public void update(String detail) {
                if (terminal) {
                    out.print("\r\033[K… " + what + " " + detail);
                    out.flush();
                }
            }

            @Override
            public void close() {
                String took = Durations.format(Duration.ofNanos(System.nanoTime() - start));
                out.println((terminal ? "\r\033[K" : "") + "✓ " + what + " (" + took + ")");
            }
        };
    }

    @Override
    public void note(String message) {
        out.println((terminal ? "\r\033[K" : "") + "! " + message);
    }
}
