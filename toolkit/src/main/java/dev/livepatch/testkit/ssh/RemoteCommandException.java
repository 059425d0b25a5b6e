package dev.livepatch.testkit.ssh;

import static org.apiguardian.api.API.Status.STABLE;

import dev.livepatch.testkit.process.ExecResult;
import org.apiguardian.api.API;

/** A command in the guest exited non-zero when success was required. */
@API(status = STABLE, since = "0.1")
public class RemoteCommandException extends SshException {
    private final transient ExecResult result;

    public RemoteCommandException(ExecResult result) {
        super("Guest command failed with exit status " + result.exitCode() + ": " + result.command()
                + (result.outputTail(10).isBlank() ? "" : "\n" + result.outputTail(10)));
        this.result = result;
    }

    public ExecResult result() {
        return result;
    }
}
