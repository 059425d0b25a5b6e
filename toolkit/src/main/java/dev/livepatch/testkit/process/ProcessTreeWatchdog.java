package dev.livepatch.testkit.process;

import java.time.Duration;
import java.util.List;
import org.apache.commons.exec.ExecuteWatchdog;
import org.apache.commons.exec.Watchdog;

/**
 * Kills a timed-out command together with its descendants: a child left running (a compiler under make, a
 * {@code sleep} under a shell) would keep the output pipes open and the caller waiting long past the timeout.
 */
final class ProcessTreeWatchdog extends ExecuteWatchdog {
    private Process process;

    @SuppressWarnings("deprecation") // ExecuteWatchdog's builder cannot make a subclass
    ProcessTreeWatchdog(Duration timeout) {
        super(timeout.toMillis());
    }

    @Override
    public synchronized void start(Process started) {
        this.process = started;
        super.start(started);
    }

    @Override
    public synchronized void timeoutOccured(Watchdog watchdog) {
        List<ProcessHandle> descendants =
                process == null ? List.of() : process.descendants().toList();
        super.timeoutOccured(watchdog);
        if (killedProcess()) {
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }
}
