package dev.livepatch.testkit.ssh;

import dev.livepatch.testkit.process.ExecResult;

/** A command in the guest exited non-zero when success was required. */
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
