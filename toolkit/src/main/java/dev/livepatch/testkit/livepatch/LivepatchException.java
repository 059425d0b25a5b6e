package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.TestkitException;
import java.util.Optional;
import org.apiguardian.api.API;

/** A livepatch operation in a guest failed; says on which patch or module, doing what, and what the kernel said. */
@API(status = STABLE, since = "0.1")
public class LivepatchException extends TestkitException {
    private final String subject;
    private final String operation;
    private final String errno;
    private final transient KernelLog kernelLog;

    /**
     * @param subject the patch or module
     * @param operation what was attempted, e.g. {@code insmod lpt_a.ko replace=1}
     * @param problem what went wrong and, where known, what to do about it
     * @param errno the error text the kernel gave through the tool or the write, e.g. {@code Device or resource busy}
     * @param kernelLog the kernel's messages from the operation's marker on
     */
    public LivepatchException(String subject, String operation, String problem, String errno, KernelLog kernelLog) {
        super(message(subject, operation, problem, kernelLog));
        this.subject = subject;
        this.operation = operation;
        this.errno = errno;
        this.kernelLog = kernelLog;
    }

    /** For subclasses that word the whole message themselves; the kernel log is appended. */
    protected LivepatchException(String message, String subject, String operation, KernelLog kernelLog) {
        super(message + logText(kernelLog));
        this.subject = subject;
        this.operation = operation;
        this.errno = null;
        this.kernelLog = kernelLog;
    }

    private static String message(String subject, String operation, String problem, KernelLog kernelLog) {
        return "'" + operation + "' failed for " + subject + ": " + problem + logText(kernelLog);
    }

    private static String logText(KernelLog kernelLog) {
        return kernelLog.messages().isEmpty()
                ? ""
                : "\nKernel log:\n  "
                        + String.join("\n  ", kernelLog.text().lines().toList());
    }

    public String subject() {
        return subject;
    }

    public String operation() {
        return operation;
    }

    /** The error text the kernel returned, e.g. {@code Invalid argument}; empty when the failure was not an errno. */
    public Optional<String> errno() {
        return Optional.ofNullable(errno);
    }

    public KernelLog kernelLog() {
        return kernelLog;
    }
}
