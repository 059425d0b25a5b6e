package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.RemoteCommandException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@link GuestShell} test double: runs each command with the local {@code /bin/sh -c} and counts them. */
public final class LocalShell implements GuestShell {
    private final ProcessRunner runner;
    private final List<String> commands = new ArrayList<>();
    private final List<String> uploads = new ArrayList<>();
    private final List<Integer> inputs = new ArrayList<>();

    public LocalShell(Map<String, String> environment) {
        this.runner = ProcessRunner.create().withEnvironment(environment);
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
    public synchronized ExecResult exec(String command, Duration timeout) {
        commands.add(command);
        return runner.exec(List.of("/bin/sh", "-c", command), timeout);
    }

    /** The input goes through a temporary file that the shell reads as its stdin. */
    @Override
    public synchronized ExecResult exec(String command, byte[] stdin, Duration timeout) {
        Path input = null;
        try {
            input = Files.createTempFile("lpt-stdin-", "");
            Files.write(input, stdin);
            inputs.add(stdin.length);
            commands.add(command);
            return runner.exec(List.of("/bin/sh", "-c", "exec < '" + input + "'\n" + command), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (input != null) {
                input.toFile().delete();
            }
        }
    }

    /** The sizes of the inputs given to commands, oldest first. */
    public synchronized List<Integer> inputs() {
        return List.copyOf(inputs);
    }

    @Override
    public synchronized void upload(Path localFile, String remotePath) {
        try {
            uploads.add(remotePath);
            Files.createDirectories(Path.of(remotePath).getParent());
            Files.copy(localFile, Path.of(remotePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public synchronized void upload(byte[] content, String remotePath, int mode) {
        try {
            uploads.add(remotePath);
            Files.createDirectories(Path.of(remotePath).getParent());
            Files.write(Path.of(remotePath), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The commands run so far, oldest first. */
    public synchronized List<String> commands() {
        return List.copyOf(commands);
    }

    public synchronized List<String> uploads() {
        return List.copyOf(uploads);
    }

    @Override
    public boolean isConnected() {
        return true;
    }

    @Override
    public void close() {}
}
