package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.SshException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/** A guest's shell that turns an SSH failure caused by a kernel crash into a {@link GuestCrashedException}. */
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
        try {
            return action.get();
        } catch (SshException e) {
            guest.failIfCrashed(e);
            throw e;
        }
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
