package dev.livepatch.testkit.ssh.kept;

import com.jcraft.jsch.Channel;
import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.CommandRunner;
import dev.livepatch.testkit.ssh.JschConnector;
import dev.livepatch.testkit.ssh.RemoteCommand;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A shell that runs one command after another on a single exec channel, opened with a kept session so that a snapshot
 * holds it running: after a reset, a command is a write to a shell that is already there (one fork for its subshell)
 * instead of a new channel, a fork of the SSH server and an exec of a shell, all on code that emulation must translate
 * again after every {@code loadvm}.
 *
 * <p>Each request is a line {@code <nonce> <stdin bytes>}, the command's lines, a line {@code <nonce>}, then the stdin
 * bytes. The loop marks the start and end of the command's output on both streams with the nonce (random, so no
 * output can forge it), the end on stdout with the exit status. The command runs in a subshell: {@code exit},
 * {@code cd} and variables stay its own. One command at a time: a caller that finds the loop busy, or broken by a
 * timeout, runs its command on an exec channel of its own.
 */
final class CommandLoop implements CommandRunner {
    private static final Logger LOG = LoggerFactory.getLogger(CommandLoop.class);

    /** POSIX sh; {@code dd ... iflag=fullblock} reads exactly the command's stdin and not a byte of the next request. */
    static final String SCRIPT = """
            while IFS=' ' read -r lpt_loop_n lpt_loop_s; do
              lpt_loop_c=
              while IFS= read -r lpt_loop_l && [ "$lpt_loop_l" != "$lpt_loop_n" ]; do
                lpt_loop_c="$lpt_loop_c$lpt_loop_l
            "
              done
              printf '%s <\\n' "$lpt_loop_n"; printf '%s <\\n' "$lpt_loop_n" >&2
              if [ "$lpt_loop_s" -gt 0 ]; then
                dd bs="$lpt_loop_s" count=1 iflag=fullblock 2> /dev/null | (eval "$lpt_loop_c")
              else
                (eval "$lpt_loop_c") < /dev/null
              fi
              printf '%s >%d\\n' "$lpt_loop_n" "$?"; printf '%s >\\n' "$lpt_loop_n" >&2
            done
            """;

    /** Bigger inputs go on an exec channel of their own: {@code dd} holds a command's whole input in memory. */
    static final int MAX_STDIN = 1 << 20;

    private static final int STDIN_CHUNK = 8192;
    private static final SecureRandom NONCES = new SecureRandom();

    private final Session session;
    private final SshTarget target;
    private final ChannelExec channel;
    private final OutputStream toGuest;
    private final MarkedStream stdout;
    private final MarkedStream stderr;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean broken;

    private CommandLoop(
            Session session,
            SshTarget target,
            ChannelExec channel,
            OutputStream toGuest,
            MarkedStream stdout,
            MarkedStream stderr) {
        this.session = session;
        this.target = target;
        this.channel = channel;
        this.toGuest = toGuest;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Starts the loop on a new exec channel of {@code session}.
     *
     * @param channelId the channel number to use, when the session is replayed and the server end already knows the
     *     channel by the number it had when it was recorded; empty for a new one
     */
    static CommandLoop open(Session session, SshTarget target, Optional<Integer> channelId, Duration timeout) {
        MarkedStream stdout = new MarkedStream();
        MarkedStream stderr = new MarkedStream();
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            if (channelId.isPresent()) {
                number(channel, channelId.get());
                passNumber(session, channelId.get());
            }
            channel.setCommand(SCRIPT);
            channel.setOutputStream(stdout, false);
            channel.setErrStream(stderr, false);
            channel.connect((int) Math.max(1, timeout.toMillis()));
            return new CommandLoop(session, target, channel, channel.getOutputStream(), stdout, stderr);
        } catch (JSchException | IOException e) {
            if (channel != null) {
                channel.disconnect();
            }
            throw new SshException(
                    "Could not start the command loop on " + JschConnector.address(target) + ": " + e.getMessage(), e);
        }
    }

    /** The channel's number, which the client sends in every request: JSch numbers channels JVM-wide. */
    int channelId() {
        return channel.getId();
    }

    /**
     * Gives the channel the number the server knows it by. JSch numbers channels from one counter per JVM and offers
     * no way to choose, so the field is set directly; a JSch without it fails here, before anything is sent.
     */
    private static void number(Channel channel, int id) {
        try {
            Field field = Channel.class.getDeclaredField("id");
            field.setAccessible(true);
            field.setInt(channel, id);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new SshException(
                    "This JSch does not let a replayed channel keep its number (" + e + "); connecting anew", e);
        }
    }

    /**
     * Moves JSch's channel counter past {@code id} if it is not yet, so that no later channel of this session gets
     * the loop's number (a new JVM counts from 0). A channel that is never connected sends nothing and leaves the
     * session when disconnected.
     */
    private static void passNumber(Session session, int id) throws JSchException {
        while (true) {
            Channel unused = session.openChannel("exec");
            unused.disconnect();
            if (unused.getId() >= id) {
                return;
            }
        }
    }

    /**
     * Runs {@code command} in the loop, or returns empty when the loop is busy with another command, broken, or the
     * input too big: the caller then runs it on a channel of its own.
     */
    @Override
    public Optional<ExecResult> tryRun(String command, byte[] stdin, Duration timeout) {
        if (broken || stdin.length > MAX_STDIN || !busy.compareAndSet(false, true)) {
            return Optional.empty();
        }
        try {
            if (broken || !channel.isConnected()) {
                return Optional.empty();
            }
            return Optional.of(run(command, stdin, timeout));
        } finally {
            busy.set(false);
        }
    }

    private ExecResult run(String command, byte[] stdin, Duration timeout) {
        long start = System.nanoTime();
        Deadline deadline = Deadline.after(timeout);
        String nonce = HexFormat.of().formatHex(nonce());
        try {
            send(nonce, command, stdin);
            Optional<MarkedStream.Section> out = stdout.await(nonce, true, deadline);
            Optional<MarkedStream.Section> err = out.isPresent() ? stderr.await(nonce, false, deadline) : out;
            if (out.isEmpty() || err.isEmpty()) {
                if (stdout.isClosed() || stderr.isClosed() || !session.isConnected()) {
                    broken = true;
                    throw RemoteCommand.dropped(target, command, null);
                }
                breakOff();
                throw new SshException("Guest command '" + command + "' on " + JschConnector.address(target)
                        + " did not finish within " + Durations.format(timeout) + " and was stopped; output so far:"
                        + RemoteCommand.section("stdout", stdout.pending(nonce))
                        + RemoteCommand.section("stderr", stderr.pending(nonce)));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            int status = out.get().status();
            LOG.debug("{} ms, exit {} (command loop): {}", took.toMillis(), status, RemoteCommand.lastLine(command));
            return new ExecResult(command, status, out.get().text(), err.get().text(), took);
        } catch (IOException e) {
            broken = true;
            throw RemoteCommand.dropped(target, command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            breakOff();
            throw new SshException(
                    "Interrupted while running '" + command + "' on " + JschConnector.address(target), e);
        }
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[16];
        NONCES.nextBytes(nonce);
        return nonce;
    }

    private void send(String nonce, String command, byte[] stdin) throws IOException {
        String request =
                nonce + " " + stdin.length + "\n" + command + (command.endsWith("\n") ? "" : "\n") + nonce + "\n";
        toGuest.write(request.getBytes(StandardCharsets.UTF_8));
        for (int offset = 0; offset < stdin.length; offset += STDIN_CHUNK) {
            toGuest.write(stdin, offset, Math.min(STDIN_CHUNK, stdin.length - offset));
        }
        toGuest.flush();
    }

    /**
     * A command that overran its time, or whose caller gave up, leaves the loop in an unknown state: its channel is
     * closed (which ends the loop and, as for an exec channel, the command's input and output), and later commands
     * take channels of their own.
     */
    private void breakOff() {
        broken = true;
        channel.disconnect();
    }

    @Override
    public void close() {
        broken = true;
        channel.disconnect();
    }
}
