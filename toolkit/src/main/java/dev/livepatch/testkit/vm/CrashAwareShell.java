package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.RemoteCommandException;
import dev.livepatch.testkit.ssh.SshException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A guest's shell that reports kernel crashes: an SSH failure caused by a panic becomes a {@link
 * GuestCrashedException}, and so does a command after which the serial console shows an oops or BUG.
 */
final class CrashAwareShell implements GuestShell {
    private final GuestShell delegate;
    private final QemuGuest guest;

    CrashAwareShell(GuestShell delegate, QemuGuest guest) {
        this.delegate = delegate;
        this.guest = guest;
    }

    @Override
    public ExecResult run(String command, Duration timeout) {
        return guarded(() -> delegate.run(command, timeout));
    }

    @Override
    public ExecResult exec(String command, Duration timeout) {
        return guarded(() -> delegate.exec(command, timeout));
    }

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) {
        return guarded(() -> delegate.exec(command, stdin, timeout));
    }

    @Override
    public void upload(Path localFile, String remotePath) {
        guarded(() -> {
            delegate.upload(localFile, remotePath);
            return null;
        });
    }

    @Override
    public void upload(byte[] content, String remotePath, int mode) {
        guarded(() -> {
            delegate.upload(content, remotePath, mode);
            return null;
        });
    }

    private <T> T guarded(Supplier<T> action) {
        T result;
        try {
            result = action.get();
        } catch (RemoteCommandException e) {
            guest.failIfDead();
            throw e;
        } catch (SshException e) {
            guest.sshFailed(e);
            throw guest.explain(e);
        }
        guest.failIfDead();
        return result;
    }

    @Override
    public boolean isConnected() {
        return delegate.isConnected();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
