package dev.livepatch.testkit.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/** Runs an exec request as {@code sh -c <command>} on this machine, like a guest's SSH server does. */
final class ShellCommand implements Command {
    private final String command;
    private final Runnable onStart;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    ShellCommand(String command, Runnable onStart) {
        this.command = command;
        this.onStart = onStart;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        process = new ProcessBuilder("sh", "-c", command).start();
        env.addSignalListener((ch, signal) -> process.destroyForcibly());
        Thread input = pump("stdin", in, process.getOutputStream(), true);
        Thread output = pump("stdout", process.getInputStream(), out, false);
        Thread errors = pump("stderr", process.getErrorStream(), err, false);
        Thread waiter = new Thread(
                () -> {
                    try {
                        int status = process.waitFor();
                        output.join();
                        errors.join();
                        input.interrupt();
                        exit.onExit(status);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "test-sshd-exit");
        waiter.setDaemon(true);
        waiter.start();
        onStart.run();
    }

    private static Thread pump(String name, InputStream from, OutputStream to, boolean closeTarget) {
        Thread thread = new Thread(
                () -> {
                    byte[] buffer = new byte[8192];
                    try {
                        for (int n; (n = from.read(buffer)) >= 0; ) {
                            to.write(buffer, 0, n);
                            to.flush();
                        }
                        if (closeTarget) {
                            to.close();
                        }
                    } catch (IOException e) {
                        // The process or the channel went away; the exit callback reports what happened.
                    }
                },
                "test-sshd-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
