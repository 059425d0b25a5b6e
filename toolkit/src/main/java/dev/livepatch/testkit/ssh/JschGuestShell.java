package dev.livepatch.testkit.ssh;

import com.jcraft.jsch.Session;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A guest shell over one JSch session. Commands run in its {@link CommandRunner} (a kept session's command loop)
 * while that takes them; others get an exec channel each. Uploads stream the bytes into {@code cat} (guests run dropbear, which has no SFTP
 * server) and move the file into place once its size is right.
 */
final class JschGuestShell implements GuestShell {
    private final SshTarget target;
    private final Session session;
    private final Optional<CommandRunner> loop;

    JschGuestShell(SshTarget target, Session session) {
        this(target, session, Optional.empty());
    }

    JschGuestShell(SshTarget target, Session session, CommandRunner loop) {
        this(target, session, Optional.of(loop));
    }

    private JschGuestShell(SshTarget target, Session session, Optional<CommandRunner> loop) {
        this.target = target;
        this.session = session;
        this.loop = loop;
    }

    static JschGuestShell connect(SshTarget target, Duration timeout) {
        return new JschGuestShell(target, JschConnector.connect(target, timeout));
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
        return loop.flatMap(commands -> commands.tryRun(command, new byte[0], timeout))
                .orElseGet(() -> new RemoteCommand(session, target, command).run(null, timeout));
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) {
        return loop.flatMap(commands -> commands.tryRun(command, stdin, timeout))
                .orElseGet(() ->
                        new RemoteCommand(session, target, command).run(new ByteArrayInputStream(stdin), timeout));
    }

    @Override
    public void upload(Path localFile, String remotePath) {
        try (InputStream content = Files.newInputStream(localFile)) {
            upload(content, Files.size(localFile), remotePath, Files.isExecutable(localFile) ? 0755 : 0644);
        } catch (IOException e) {
            throw new SshException("Could not read " + localFile + " to upload it to " + remotePath, e);
        }
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) {
        upload(new ByteArrayInputStream(content), content.length, remotePath, mode);
    }

    private void upload(InputStream content, long size, String remotePath, int mode) {
        String command = UploadScript.command(remotePath, size, mode);
        ExecResult result = new RemoteCommand(session, target, command).run(content, Settings.SSH_TIMEOUT.get());
        if (!result.succeeded()) {
            throw new SshException("Could not upload " + size + " bytes to " + remotePath + " in the guest at "
                    + JschConnector.address(target) + " (exit status " + result.exitCode() + "): "
                    + result.outputTail(5).strip());
        }
    }

    @Override
    public boolean isConnected() {
        return session.isConnected();
    }

    @Override
    public void close() {
        loop.ifPresent(CommandRunner::close);
        session.disconnect();
    }
}
