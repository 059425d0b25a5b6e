package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;
import org.apache.commons.exec.ShutdownHookProcessDestroyer;

/**
 * A QEMU process run asynchronously through Commons Exec. It dies with the JVM: a shutdown hook covers normal exit
 * and Ctrl-C, and the kernel's parent-death signal ({@code setpriv --pdeathsig KILL}) covers a JVM killed outright.
 */
final class QemuProcess implements AutoCloseable {
    private static final ShutdownHookProcessDestroyer DESTROYER = new ShutdownHookProcessDestroyer();
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    private static final Duration GRACE = Duration.ofSeconds(5);

    private final DefaultExecuteResultHandler result = new DefaultExecuteResultHandler();
    private final AtomicReference<Process> process = new AtomicReference<>();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    private QemuProcess() {}

    /** Starts {@code arguments}; the guest's serial console (QEMU's stdout) goes to {@code console}. */
    static QemuProcess launch(List<String> arguments, OutputStream console, Path workingDirectory) {
        if (JvmShutdown.inProgress()) {
            // The shutdown hooks that stop QEMU may have run already, and could not be joined by a new one.
            String reason = "SIGTERM or Ctrl-C (this program is shutting down)";
            throw new GuestStoppedException(
                    "Did not start " + arguments.get(0) + ": stopped by " + reason, reason, null);
        }
        QemuProcess qemu = new QemuProcess();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETPRIV)) {
            command.addAll(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
        }
        command.addAll(arguments);
        HostPrograms.checkDeclared(arguments.get(0));
        CommandLine commandLine = ProcessRunner.toCommandLine(command);
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(workingDirectory.toFile())
                .get();
        executor.setStreamHandler(new PumpStreamHandler(console, qemu.stderr));
        executor.setProcessDestroyer(qemu.new Registration());
        executor.setExitValues(null);
        try {
            executor.execute(commandLine, qemu.result);
            Deadline.after(GRACE)
                    .poll(
                            "the operating system to start " + command.get(0),
                            Duration.ofMillis(1),
                            () -> qemu.process.get() != null || qemu.result.hasResult()
                                    ? Optional.of(true)
                                    : Optional.empty(),
                            () -> "not started");
        } catch (IOException e) {
            throw cannotStart(arguments.get(0), e);
        }
        if (qemu.process.get() == null && qemu.result.getException() != null) {
            throw cannotStart(arguments.get(0), qemu.result.getException());
        }
        return qemu;
    }

    private static GuestBootException cannotStart(String binary, Exception cause) {
        return new GuestBootException(
                "Could not start " + binary + ": " + cause.getMessage() + ". Install QEMU: apt-get install "
                        + qemuPackage(binary) + " qemu-utils",
                cause);
    }

    /** The Debian package of an architecture's emulator. */
    private static String qemuPackage(String binary) {
        return Arch.ALL.stream()
                .filter(arch -> binary.endsWith(arch.qemu().binary()))
                .map(arch -> arch.qemu().debianPackage())
                .findFirst()
                .orElse(Arch.X86_64.qemu().debianPackage());
    }

    boolean isAlive() {
        return !result.hasResult();
    }

    /** The operating system's id of the QEMU process, or -1 before it started. */
    long pid() {
        Process started = process.get();
        return started == null ? -1 : started.pid();
    }

    /** QEMU's own error output (not the guest's), for messages. */
    String errors() {
        synchronized (stderr) {
            return stderr.toString(StandardCharsets.UTF_8).strip();
        }
    }

    /** How QEMU ended; only meaningful once it is no longer {@link #isAlive() alive}. */
    QemuExit exit() {
        return new QemuExit(result.getExitValue(), errors());
    }

    /** Waits up to {@code timeout} for QEMU to exit by itself; true when it has. */
    boolean awaitExit(Duration timeout) {
        try {
            result.waitFor(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return result.hasResult();
    }

    /** Stops QEMU: SIGTERM, then SIGKILL if it has not gone after a grace period. */
    @Override
    public void close() {
        Process started = process.get();
        if (started == null || !isAlive()) {
            return;
        }
        started.destroy();
        if (!awaitExit(GRACE)) {
            started.destroyForcibly();
            awaitExit(GRACE);
        }
    }

    /** Learns the started process and hands it to the JVM-wide shutdown hook. */
    private final class Registration implements ProcessDestroyer {
        @Override
        public boolean add(Process started) {
            process.set(started);
            return DESTROYER.add(started);
        }

        @Override
        public boolean remove(Process finished) {
            return DESTROYER.remove(finished);
        }

        @Override
        public int size() {
            return DESTROYER.size();
        }
    }
}
