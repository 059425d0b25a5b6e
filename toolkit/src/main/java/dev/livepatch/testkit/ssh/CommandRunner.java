package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.process.ExecResult;
import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Runs a command in an SSH session more cheaply than an exec channel of its own, when it can (a kept session's
 * command loop); a shell falls back to a channel when it cannot.
 */
@API(status = INTERNAL, since = "0.2")
public interface CommandRunner extends AutoCloseable {
    /** The command's result, or empty when this runner cannot take it now (the caller opens a channel instead). */
    Optional<ExecResult> tryRun(String command, byte[] stdin, Duration timeout);

    @Override
    void close();
}
