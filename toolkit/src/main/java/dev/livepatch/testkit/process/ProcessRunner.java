package dev.livepatch.testkit.process;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.lifecycle.Durations;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.Executor;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;
import org.apiguardian.api.API;

/** Runs host commands through Commons Exec with a timeout; a non-zero exit is an error unless asked otherwise. */
@API(status = INTERNAL, since = "0.1")
public final class ProcessRunner {
    private static final ShutdownHookProcessDestroyer DESTROYER = new ShutdownHookProcessDestroyer();

    private final Path workingDirectory;
    private final Map<String, String> environment;
    private final OutputStream echo;

    private ProcessRunner(Path workingDirectory, Map<String, String> environment, OutputStream echo) {
        this.workingDirectory = workingDirectory;
        this.environment = environment;
        this.echo = echo;
    }

    public static ProcessRunner create() {
        return new ProcessRunner(null, null, null);
    }

    public ProcessRunner inDirectory(Path directory) {
        return new ProcessRunner(directory, environment, echo);
    }

    /** Runs with exactly this environment added to the JVM's own. */
    public ProcessRunner withEnvironment(Map<String, String> variables) {
        return new ProcessRunner(workingDirectory, Map.copyOf(variables), echo);
    }

    /** Also copies both output streams to {@code stream} as they arrive (e.g. a build log file). */
    public ProcessRunner echoingTo(OutputStream stream) {
        return new ProcessRunner(workingDirectory, environment, stream);
    }

    /** Runs the command and throws {@link ProcessFailedException} on a non-zero exit. */
    public ExecResult run(List<String> command, Duration timeout) {
        ExecResult result = exec(command, timeout);
        if (!result.succeeded()) {
            throw new ProcessFailedException(
                    "Command failed with exit status " + result.exitCode() + ": " + String.join(" ", command) + "\n"
                            + result.outputTail(20),
                    result);
        }
        return result;
    }

    /** Runs the command and returns its result whatever the exit status. */
    public ExecResult exec(List<String> command, Duration timeout) {
        HostPrograms.checkDeclared(command.get(0));
        CommandLine commandLine = toCommandLine(command);
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        ExecuteWatchdog watchdog = new ProcessTreeWatchdog(timeout);
        Executor executor = DefaultExecutor.builder()
                .setWorkingDirectory(workingDirectory == null ? null : workingDirectory.toFile())
                .get();
        executor.setStreamHandler(new PumpStreamHandler(tee(stdout), tee(stderr)));
        executor.setWatchdog(watchdog);
        executor.setProcessDestroyer(DESTROYER);
        executor.setExitValues(null);
        long start = System.nanoTime();
        int exit;
        try {
            exit = executor.execute(commandLine, environment == null ? null : mergedEnvironment());
        } catch (ExecuteException e) {
            exit = e.getExitValue();
        } catch (IOException e) {
            throw new ProcessFailedException(
                    "Could not run " + command.get(0) + ": " + e.getMessage() + " ("
                            + HostPrograms.howToInstall(command.get(0)) + ")",
                    e);
        }
        ExecResult result = new ExecResult(
                String.join(" ", command),
                exit,
                stdout.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8),
                Duration.ofNanos(System.nanoTime() - start));
        if (watchdog.killedProcess()) {
            throw new ProcessFailedException(
                    "Command timed out after " + Durations.format(timeout) + " and was killed: " + result.command()
                            + "\n" + result.outputTail(20),
                    result);
        }
        return result;
    }

    /**
     * The command as Commons Exec takes it, for a process started here or on its own (QEMU): each argument is passed
     * as it is, never split at spaces or quoted again.
     */
    public static CommandLine toCommandLine(List<String> command) {
        CommandLine commandLine = new CommandLine(command.get(0));
        command.stream().skip(1).forEach(argument -> commandLine.addArgument(argument, false));
        return commandLine;
    }

    private Map<String, String> mergedEnvironment() {
        Map<String, String> merged = new java.util.HashMap<>(System.getenv());
        merged.putAll(environment);
        return merged;
    }

    private OutputStream tee(ByteArrayOutputStream buffer) {
        if (echo == null) {
            return buffer;
        }
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                buffer.write(b);
                echo.write(b);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) throws IOException {
                buffer.write(bytes, offset, length);
                synchronized (echo) {
                    echo.write(bytes, offset, length);
                }
            }

            @Override
            public void flush() throws IOException {
                echo.flush();
            }
        };
    }
}
