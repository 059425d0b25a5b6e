package dev.livepatch.testkit.livepatch;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.guest.GuestLibrary;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.util.ShellQuoting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Runs the functions of the guest library {@code livepatch.sh}, one SSH command per call. Guest images carry the
 * library; a guest without it gets a copy the first time it says so. (Sending the library with every command
 * would cost a parse of the whole command line each time, and dropbear refuses commands over 9000 bytes.)
 *
 * <p>The functions, their {@code key=value} arguments and the {@link GuestTag}s they print are listed in the header
 * of {@code livepatch.sh}. Times cross in milliseconds, both ways, converted here only: {@link #arg(String,
 * Duration)} and {@link #time(String)}.
 */
final class GuestScripts {
    private static final GuestLibrary LIBRARY = GuestLibrary.LIVEPATCH;
    private static final Pattern KEY = Pattern.compile("[a-z_]+");

    private final GuestShell shell;
    private final String root;
    /**
     * The files each shell copied, for every {@link Livepatches} on it: a test that runs without a reset after
     * another finds that one's copies still there. A reset opens a new shell, and a copy lost anyway is sent again.
     */
    private static final Map<GuestShell, Set<String>> COPIED = Collections.synchronizedMap(new WeakHashMap<>());

    private final Set<String> copied;
    private volatile boolean traceTasks;

    /**
     * @param root the prefix of the kernel interfaces in the guest, empty in a real guest; a test double can point
     *     it at a fake tree
     */
    GuestScripts(GuestShell shell, String root) {
        this.shell = shell;
        this.root = root;
        this.copied = COPIED.computeIfAbsent(shell, unused -> ConcurrentHashMap.newKeySet());
    }

    GuestShell shell() {
        return shell;
    }

    String root() {
        return root;
    }

    /** Whether this shell copied a file to {@code guestPath}; a guest reset since then has lost it. */
    boolean hasCopied(String guestPath) {
        return copied.contains(guestPath);
    }

    void copied(String guestPath) {
        copied.add(guestPath);
    }

    void traceTasks(boolean enabled) {
        traceTasks = enabled;
    }

    ScriptOutput call(String function, String... arguments) {
        return call(Settings.SSH_TIMEOUT.get(), function, arguments);
    }

    ScriptOutput call(Duration timeout, String function, String... arguments) {
        return call(timeout, new byte[0], function, arguments);
    }

    /** Calls {@code function} with {@code stdin} as its input. */
    ScriptOutput call(Duration timeout, byte[] stdin, String function, String... arguments) {
        String command = command(function, List.of(arguments));
        ExecResult result = exec(command, stdin, timeout);
        if (result.succeeded() && result.stdout().startsWith(GuestTag.NO_LIBRARY.line())) {
            shell.upload(LIBRARY.content(), root + LIBRARY.copyPath(), 0644);
            result = exec(command, stdin, timeout);
        }
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

    private ExecResult exec(String command, byte[] stdin, Duration timeout) {
        return stdin.length == 0 ? shell.exec(command, timeout) : shell.exec(command, stdin, timeout);
    }

    /** Sources the image's library or the copied one, then calls {@code function}. */
    String command(String function, List<String> arguments) {
        List<String> words = new ArrayList<>();
        words.add(function);
        arguments.stream().map(ShellQuoting::quote).forEach(words::add);
        return "R=" + ShellQuoting.quote(root) + "\nTASKS=" + (traceTasks ? "+" : "-") + "\nL=\"$R"
                + LIBRARY.imagePath()
                + "\"\n[ -f \"$L\" ] || L=\"$R" + LIBRARY.copyPath() + "\"\n[ -f \"$L\" ] || { echo "
                + GuestTag.NO_LIBRARY.line() + "; exit 0; }\n. \"$L\"\n" + String.join(" ", words) + "\n";
    }

    /** A {@code key=value} argument of a guest function. */
    static String arg(String key, String value) {
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("a guest function's argument key is [a-z_]+, not '" + key + "'");
        }
        return key + "=" + value;
    }

    /**
     * A time argument, in milliseconds: rounded up, so that a wait never ends before its limit, and at least 1.
     */
    static String arg(String key, Duration time) {
        return arg(key, Long.toString(Math.max(1, time.plusNanos(999_999).toMillis())));
    }

    /** A time the guest printed, in milliseconds. */
    static Duration time(String millis) {
        return Duration.ofMillis(Long.parseLong(millis.strip()));
    }
}
