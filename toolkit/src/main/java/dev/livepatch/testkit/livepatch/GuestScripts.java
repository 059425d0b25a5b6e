package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the functions of {@code livepatch.sh} in the guest, one SSH command per call. The library travels with every
 * command, so a guest needs nothing installed and a reset guest needs nothing re-sent.
 */
final class GuestScripts {
    private static final String LIBRARY = library();

    private final GuestShell shell;
    private final String root;
    private final Set<String> copied = ConcurrentHashMap.newKeySet();
    private volatile boolean traceTasks;

    /**
     * @param root the prefix of the kernel interfaces in the guest, empty in a real guest; a test double can point
     *     it at a fake tree
     */
    GuestScripts(GuestShell shell, String root) {
        this.shell = shell;
        this.root = root;
    }

    GuestShell shell() {
        return shell;
    }

    String root() {
        return root;
    }

    /**
     * Copies {@code localFile} to {@code guestPath} unless this shell copied it already. A guest reset since then
     * loses the copy; the caller finds out from the guest and calls {@link #copyAgain}.
     */
    void copyOnce(Path localFile, String guestPath) {
        if (!copied.contains(guestPath)) {
            copyAgain(localFile, guestPath);
        }
    }

    void copyAgain(Path localFile, String guestPath) {
        shell.upload(localFile, guestPath);
        copied.add(guestPath);
    }

    void traceTasks(boolean enabled) {
        traceTasks = enabled;
    }

    ScriptOutput call(String function, String... arguments) {
        return call(Settings.SSH_TIMEOUT.get(), function, arguments);
    }

    ScriptOutput call(Duration timeout, String function, String... arguments) {
        ExecResult result = shell.exec(command(function, List.of(arguments)), timeout);
        if (!result.succeeded()) {
            throw new LivepatchException(
                    "the guest",
                    function,
                    "the guest script exited with status " + result.exitCode() + ": " + result.outputTail(10),
                    null,
                    KernelLog.empty());
        }
        return ScriptOutput.parse(result.stdout());
    }

    String command(String function, List<String> arguments) {
        List<String> words = new ArrayList<>();
        words.add(function);
        arguments.stream().map(ShellWords::quote).forEach(words::add);
        return "R=" + ShellWords.quote(root) + "\nTASKS=" + (traceTasks ? "+" : "-") + "\n" + LIBRARY + "\n"
                + String.join(" ", words) + "\n";
    }

    private static String library() {
        try (InputStream in = GuestScripts.class.getResourceAsStream("livepatch.sh")) {
            if (in == null) {
                throw new IllegalStateException("livepatch.sh is missing from the toolkit's resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
