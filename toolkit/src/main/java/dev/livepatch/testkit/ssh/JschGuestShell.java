package dev.livepatch.testkit.ssh;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.process.ExecResult;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A JSch session to a guest: public-key login, pinned host key, one exec channel per command. */
final class JschGuestShell implements GuestShell {
    private final SshTarget target;
    private final Session session;

    private JschGuestShell(SshTarget target, Session session) {
        this.target = target;
        this.session = session;
    }

    static JschGuestShell connect(SshTarget target, Duration timeout) {
        JSch jsch = new JSch();
        PinnedHostKey pin = new PinnedHostKey(target.hostKey());
        try {
            jsch.addIdentity(target.privateKey().toString());
            jsch.setHostKeyRepository(pin);
            Session session = jsch.getSession(target.user(), target.host(), target.port());
            session.setConfig("StrictHostKeyChecking", "yes");
            session.setConfig("PreferredAuthentications", "publickey");
            session.setConfig("server_host_key", "ssh-ed25519");
            session.setConfig("kex", "curve25519-sha256,curve25519-sha256@libssh.org");
            session.setConfig("cipher.c2s", "aes128-ctr,chacha20-poly1305@openssh.com");
            session.setConfig("cipher.s2c", "aes128-ctr,chacha20-poly1305@openssh.com");
            session.setServerAliveInterval((int) Duration.ofSeconds(10).toMillis());
            session.connect((int) Math.max(1, timeout.toMillis()));
            return new JschGuestShell(target, session);
        } catch (JSchException e) {
            if (pin.refused()) {
                throw new SshException(pin.mismatch(target.host(), target.port()), e);
            }
            throw new SshException("Could not open SSH to " + where(target) + ": " + e.getMessage(), e);
        }
    }

    @Override
    public ExecResult run(String command, Duration timeout) {
        ExecResult result = exec(command, timeout);
        if (!result.succeeded()) {
            throw new RemoteCommandException(result);
        }
        return result;
    }

    @Override
    public ExecResult exec(String command, Duration timeout) {
        return execWithInput(command, null, timeout);
    }

    @Override
    public void upload(Path localFile, String remotePath) {
        try {
            upload(Files.readAllBytes(localFile), remotePath, 0644);
        } catch (IOException e) {
            throw new SshException("Could not read " + localFile + " to upload it", e);
        }
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) {
        String quoted = quote(remotePath);
        String command =
                "cat > " + quoted + " && chmod " + Integer.toOctalString(mode) + " " + quoted + " && wc -c < " + quoted;
        Duration timeout = Duration.ofSeconds(30).plusMillis(content.length / 1000);
        ExecResult result = execWithInput(command, new ByteArrayInputStream(content), timeout);
        if (!result.succeeded()) {
            throw new RemoteCommandException(result);
        }
        if (!result.stdout().strip().equals(Integer.toString(content.length))) {
            throw new SshException("Upload to " + remotePath + " wrote "
                    + result.stdout().strip() + " bytes instead of " + content.length);
        }
    }

    private ExecResult execWithInput(String command, InputStream input, Duration timeout) {
        long start = System.nanoTime();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        CountDownLatch finished = new CountDownLatch(1);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream() {
            @Override
            public void close() {
                finished.countDown();
            }
        };
        ChannelExec channel = null;
        try {
            channel = (ChannelExec) session.openChannel("exec");
            channel.setCommand(command);
            channel.setOutputStream(stdout, false);
            channel.setErrStream(stderr, true);
            channel.setInputStream(input, false);
            channel.connect((int) Math.max(1, timeout.toMillis()));
            awaitClose(channel, finished, timeout, command, stdout);
            return new ExecResult(
                    command,
                    channel.getExitStatus(),
                    stdout.toString(StandardCharsets.UTF_8),
                    stderr.toString(StandardCharsets.UTF_8),
                    Duration.ofNanos(System.nanoTime() - start));
        } catch (JSchException e) {
            throw dropped(command, e);
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
        }
    }

    private void awaitClose(
            ChannelExec channel, CountDownLatch finished, Duration timeout, String command, ByteArrayOutputStream out) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!channel.isClosed()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new SshException("Guest command did not finish within " + Durations.format(timeout) + ": "
                            + command + "\nOutput so far: " + tail(out.toString(StandardCharsets.UTF_8)));
                }
                if (!session.isConnected()) {
                    throw dropped(command, null);
                }
                // Output ends first; the close (with the exit status) follows within a round trip.
                if (!finished.await(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS)) {
                    continue;
                }
                TimeUnit.MICROSECONDS.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshException("Interrupted while running " + command, e);
        }
    }

    private SshException dropped(String command, Exception cause) {
        return new SshException(
                "The SSH connection to " + where(target) + " dropped while running '" + command
                        + "'. The guest may have crashed or been stopped; check its serial log.",
                cause);
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public void close() {
        session.disconnect();
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String where(SshTarget target) {
        return target.user() + "@" + target.host() + ":" + target.port();
    }

    private static String tail(String text) {
        return text.length() <= 2000 ? text : "…" + text.substring(text.length() - 2000);
    }
}
