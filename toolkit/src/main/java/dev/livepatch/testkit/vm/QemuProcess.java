package dev.livepatch.testkit.vm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

/**
 * A QEMU process. It dies with the JVM: a shutdown hook covers normal exit and Ctrl-C, and the kernel's
 * parent-death signal ({@code setpriv --pdeathsig KILL}) covers a JVM that is killed outright.
 */
final class QemuProcess implements AutoCloseable {
    private static final ShutdownHookProcessDestroyer DESTROYER = new ShutdownHookProcessDestroyer();
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
    private final ExecuteWatchdog watchdog = ExecuteWatchdog.builder().get();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private QemuProcess() {}

    static QemuProcess launch(List<String> arguments, SerialConsole console, Path workingDirectory) {
        QemuProcess process = new QemuProcess();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        command.addAll(arguments);
        CommandLine commandLine = new CommandLine(command.get(0));
        command.stream().skip(1).forEach(argument -> commandLine.addArgument(argument, false));
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(workingDirectory.toFile())
                .get();
        executor.setStreamHandler(new PumpStreamHandler(console, process.stderr));
        executor.setWatchdog(process.watchdog);
        executor.setProcessDestroyer(DESTROYER);
        executor.setExitValues(null);
        try {
            executor.execute(commandLine, process.result);
        } catch (IOException e) {
            throw new GuestBootException(
                    "Could not start " + arguments.get(0) + ": " + e.getMessage()
                            + ". Install QEMU: apt-get install qemu-system-x86 qemu-utils",
                    e);
        }
        return process;
    }

    boolean isAlive() {
        return !result.hasResult();
    }

    /** QEMU's own error output (not the guest's), for messages. */
    String errors() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8).strip();
        }
    }

    int exitValue() {
        return result.getExitValue();
    }

    /** Waits for QEMU to exit by itself. */
    boolean awaitExit(Duration timeout) {
        try {
            result.waitFor(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.hasResult();
    }

    @Override
    public void close() {
        if (isAlive()) {
            watchdog.destroyProcess();
            awaitExit(Duration.ofSeconds(10));
        }
    }
}
