package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.process.ExecResult;
import java.nio.file.Path;
import java.time.Duration;
import org.apiguardian.api.API;

/** One SSH session to a guest: run commands and upload files. */
@API(status = STABLE, since = "0.1")
public interface GuestShell extends AutoCloseable {

    /** Runs a shell command; a non-zero exit throws {@link RemoteCommandException}. */
    ExecResult run(String command, Duration timeout);

    /** Runs a shell command and returns its result whatever the exit status. */
    ExecResult exec(String command, Duration timeout);

    /** Runs a shell command reading {@code stdin}, and returns its result whatever the exit status. */
    ExecResult exec(String command, byte[] stdin, Duration timeout);

    /** Copies a host file to {@code remotePath} in the guest, creating missing parent folders. */
    void upload(Path localFile, String remotePath);

    /** Writes {@code content} to {@code remotePath} in the guest with the given octal mode, creating missing folders. */
    void upload(byte[] content, String remotePath, int mode);

    boolean isConnected();

    @Override
    void close();
}
