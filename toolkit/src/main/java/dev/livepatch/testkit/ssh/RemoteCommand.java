package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.process.ExecResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One command on its own exec channel: stdin streamed in, stdout and stderr collected. The exit status exists only
 * once the channel has closed, so the result is taken when the channel's close has closed the stderr buffer.
 *
 * <p>Stdin is written here, not handed to JSch: JSch starts its input thread after the exec request and a command that
 * ends at once can close the channel in between, which makes JSch's {@code connect} fail on a thread it has already
 * cleared.
 */
@API(status = INTERNAL, since = "0.2")
public final class RemoteCommand {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteCommand.class);
    /** How long a close without exit status may take to show up as a lost session, when that is the cause. */
    private static final Duration SESSION_LOSS_NOTICE = Duration.ofMillis(200);

    /**
     * Before sending a packet bigger than the peer's remaining window, JSch waits up to 100 ms for a window adjust. Dropbear grants more window only after a third of its window (24 KiB by
     * default) has been consumed, so a bigger packet would often stall; reads of at most 8 KiB never do.
     */
    private static final int STDIN_CHUNK = 8192;

    private static final int TAIL_LINES = 20;

    private final Session session;
    private final SshTarget target;
    private final String command;

    public RemoteCommand(Session session, SshTarget target, String command) {
        this.session = session;
        this.target = target;
        this.command = command;
    }

    /** Runs the command with {@code stdin} (not closed here) as its input, or an empty input when null. */
    public ExecResult run(InputStream stdin, Duration timeout) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(timeout);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        OutputUntilClose stderr = new OutputUntilClose();
        ChannelExec channel = open(stdout, stderr, deadline);
        StdinPump pump = StdinPump.start(channel, stdin);
        try {
            if (!stderr.awaitClose(deadline.remaining())) {
                stop(channel);
                throw new SshException("Guest command '" + command + "' on " + JschConnector.address(target)
                        + " did not finish within " + Durations.format(timeout) + " and was stopped; output so far:"
                        + section("stdout", text(stdout)) + section("stderr", text(stderr)));
            }
            int status = channel.getExitStatus();
            if (status == -1 && sessionLost()) {
                throw dropped(target, command, null);
            }
            pump.rethrowReadFailure(command);
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            LOG.debug("{} ms, exit {}: {}", took.toMillis(), status, lastLine(command));
            return new ExecResult(command, status, text(stdout), text(stderr), took);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(channel);
            throw new SshException(
                    "Interrupted while running '" + command + "' on " + JschConnector.address(target), e);
        } finally {
            channel.disconnect();
        }
    }

    private ChannelExec open(ByteArrayOutputStream stdout, OutputUntilClose stderr, Deadline deadline) {
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setOutputStream(stdout, true);
            channel.setErrStream(stderr, false);
            channel.connect((int) Math.max(1, deadline.remaining().toMillis()));
            return channel;
        } catch (JSchException e) {
            if (channel != null) {
                channel.disconnect();
            }
            if (!session.isConnected()) {
                throw dropped(target, command, e);
            }
            throw new SshException(
                    "Could not start '" + command + "' on " + JschConnector.address(target) + ": " + e.getMessage(), e);
        }
    }

    /** Asks the guest to kill the command (servers without signal support ignore it), then closes the channel. */
    private static void stop(ChannelExec channel) {
        try {
            channel.sendSignal("KILL");
        } catch (Exception ignored) {
            // Closing the channel below still ends the command's input and output.
        }
        channel.disconnect();
    }

    /**
     * A channel that closed without an exit status either ended by a signal or went down with its session; JSch
     * closes the channels of a lost session just before it marks the session disconnected.
     */
    private boolean sessionLost() {
        try {
            return Deadline.after(SESSION_LOSS_NOTICE)
                    .poll(
                            "the SSH session to notice a lost connection",
                            Duration.ofMillis(1),
                            () -> session.isConnected() ? Optional.empty() : Optional.of(true),
                            () -> "still connected");
        } catch (WaitTimeoutException e) {
            return false;
        }
    }

    public static SshException dropped(SshTarget target, String command, Exception cause) {
        return new SshException(
                "The SSH connection to " + JschConnector.address(target) + " dropped while running '" + command
                        + "'. The guest crashed, was stopped or reset, or its SSH server died: check the guest's serial"
                        + " console log, then reset or restart the guest and open a new shell.",
                cause);
    }

    /** A titled tail of a command's output, for error messages. */
    public static String section(String name, String output) {
        List<String> lines = output.lines().toList();
        if (lines.isEmpty()) {
            return "\n[" + name + ": empty]";
        }
        List<String> tail = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        return "\n[" + name + (tail.size() < lines.size() ? ", last " + TAIL_LINES + " lines" : "") + "]\n"
                + String.join("\n", tail);
    }

    /** The command's last line: the one that says what it does when a script precedes it. */
    public static String lastLine(String command) {
        List<String> lines = command.strip().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    private static String text(ByteArrayOutputStream output) {
        return output.toString(StandardCharsets.UTF_8);
    }

    /**
     * Copies stdin to the channel in chunks of at most {@link #STDIN_CHUNK} bytes, then sends end-of-file. Without
     * stdin only the end-of-file is sent, on the caller's thread. A write that fails means the command has ended and
     * stopped reading; a read that fails is the caller's input's fault and is reported once the command has ended.
     */
    private static final class StdinPump implements Runnable {
        private final ChannelExec channel;
        private final InputStream stdin;
        private volatile IOException readFailure;

        private StdinPump(ChannelExec channel, InputStream stdin) {
            this.channel = channel;
            this.stdin = stdin;
        }

        static StdinPump start(ChannelExec channel, InputStream stdin) {
            StdinPump pump = new StdinPump(channel, stdin == null ? InputStream.nullInputStream() : stdin);
            if (stdin == null) {
                pump.run();
            } else {
                Thread thread = new Thread(pump, "stdin of guest command");
                thread.setDaemon(true);
                thread.start();
            }
            return pump;
        }

        @Override
        public void run() {
            try (OutputStream toGuest = channel.getOutputStream()) {
                byte[] chunk = new byte[STDIN_CHUNK];
                int read;
                while ((read = readChunk(chunk)) >= 0) {
                    toGuest.write(chunk, 0, read);
                    toGuest.flush();
                }
            } catch (IOException commandStoppedReading) {
                // The command ended or the channel closed; its result tells what happened.
            }
        }

        private int readChunk(byte[] chunk) {
            try {
                return stdin.read(chunk);
            } catch (IOException e) {
                readFailure = e;
                return -1;
            }
        }

        void rethrowReadFailure(String command) {
            IOException failure = readFailure;
            if (failure != null) {
                throw new SshException(
                        "Could not read the input of '" + command + "': " + failure.getMessage(), failure);
            }
        }
    }

    /** Collects output; JSch closes it when the channel closes, after the exit status has arrived. */
    private static final class OutputUntilClose extends ByteArrayOutputStream {
        private final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void close() {
            closed.countDown();
        }

        boolean awaitClose(Duration limit) throws InterruptedException {
            return closed.await(limit.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
