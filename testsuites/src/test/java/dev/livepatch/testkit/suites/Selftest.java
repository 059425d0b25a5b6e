package dev.livepatch.testkit.suites;

import static dev.livepatch.testkit.junit.LivepatchAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.junit.PatchModules;
import dev.livepatch.testkit.livepatch.LivepatchException;
import dev.livepatch.testkit.livepatch.Livepatches;
import dev.livepatch.testkit.livepatch.Patch;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One case of the kernel's own livepatch selftests, replayed through the toolkit's API: the same steps, the same
 * {@code /proc} probes written to the kernel log, and at the end the same check of the kernel log since the
 * test's start line (livepatch core messages, the test modules' lines and the {@code % ...} step markers).
 */
final class Selftest {
    private static final Duration COMMAND = Duration.ofSeconds(30);
    private static final String TRACING = "/sys/kernel/tracing";

    private final GuestShell shell;
    private final Livepatches livepatches;
    private final String startLine;
    private final Map<String, Patch> patches = new HashMap<>();
    private final PatchModules modules;

    private Selftest(GuestShell shell, PatchModules modules, String name) {
        this.shell = shell;
        this.modules = modules;
        this.livepatches = Livepatches.on(shell);
        this.startLine = "===== TEST: " + name + " =====";
        shell.run("echo '" + startLine + "' > /dev/kmsg", COMMAND);
    }

    static Selftest start(Guest guest, PatchModules modules, String name) {
        return new Selftest(guest.shell(), modules, name);
    }

    private Path ko(String module) {
        return modules.build(module).ko();
    }

    void loadModule(String module, String... parameters) {
        livepatches.loadModule(ko(module), parameters(parameters));
    }

    void loadLivepatch(String module, String... parameters) {
        loadLivepatchNoWait(module, parameters).awaitTransition();
    }

    Patch loadLivepatchNoWait(String module, String... parameters) {
        Patch patch = livepatches.load(ko(module), parameters(parameters));
        patches.put(module, patch);
        return patch;
    }

    /** A livepatch whose loading the kernel refuses with {@code errno}. */
    void loadFailingLivepatch(String module, String errno, String... parameters) {
        assertThatThrownBy(() -> livepatches.load(ko(module), parameters(parameters)))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining(errno);
    }

    /** A plain module whose loading the kernel refuses with {@code errno}. */
    void loadFailingModule(String module, String errno, String... parameters) {
        assertThatThrownBy(() -> livepatches.loadModule(ko(module), parameters(parameters)))
                .isInstanceOf(LivepatchException.class)
                .hasMessageContaining(errno);
    }

    void awaitInTransition(String module) {
        assertThat(livepatches.patch(module)).isPresent().isInTransition();
    }

    void disable(String module) {
        Patch patch = patches.computeIfAbsent(module, livepatches::patch);
        patch.disable();
        assertThat(patch.awaitTransition().command()).endsWith("(removed)");
    }

    void unload(String module) {
        livepatches.unloadModule(module);
        patches.remove(module);
    }

    void setParameter(String module, String parameter, String value) {
        String path = "/sys/module/" + module + "/parameters/" + parameter;
        shell.run("echo '% echo " + value + " > " + path + "' > /dev/kmsg; echo " + value + " > " + path, COMMAND);
        assertThat(shell.run("cat " + path, COMMAND).stdout().strip()).isEqualTo(value);
    }

    /** Writes the probe's matching lines to the kernel log, as the selftests' {@code grep ... > /dev/kmsg}. */
    void probe(String path) {
        shell.exec("grep 'live patched' " + path + " > /dev/kmsg", COMMAND);
    }

    /** Sets {@code kernel.ftrace_enabled} and logs the outcome as the selftests' {@code set_ftrace_enabled}. */
    void ftraceEnabled(int value, boolean mayFail) {
        String script = "err=$(/sbin/sysctl -q kernel.ftrace_enabled=" + value
                + " 2>&1); now=$(/sbin/sysctl -n kernel.ftrace_enabled);"
                + " if [ \"$now\" = " + value + " ]; then echo \"livepatch: kernel.ftrace_enabled = $now\" > /dev/kmsg;"
                + " else echo \"livepatch: $err\" | sed 's#/proc/sys/kernel/#kernel.#' > /dev/kmsg; exit 1; fi";
        int status = shell.exec(script, COMMAND).exitCode();
        assertThat(status).as("kernel.ftrace_enabled=" + value + " refused").isEqualTo(mayFail ? 1 : 0);
    }

    /**
     * Whether {@code kernel.ftrace_enabled=0} still turns ftrace off, as the scripts' {@code ftrace_disable_supported}
     * probes it: writes 0, reads the value back and restores it. Kernels that deprecated the knob refuse the write
     * with "Operation not supported" (and say once, in the kernel log, that it no longer disables ftrace).
     */
    boolean ftraceDisableSupported() {
        String script = "orig=$(/sbin/sysctl -n kernel.ftrace_enabled); /sbin/sysctl -q kernel.ftrace_enabled=0"
                + " > /dev/null 2>&1; result=$(/sbin/sysctl -n kernel.ftrace_enabled);"
                + " /sbin/sysctl -q kernel.ftrace_enabled=$orig > /dev/null 2>&1; [ \"$result\" = 0 ]";
        return shell.exec(script, COMMAND).exitCode() == 0;
    }

    /**
     * Whether the patch has this sysfs attribute; if not, the patch is disabled and removed, so that a case skipped for
     * want of it leaves the guest clean for the next (which then needs no reset).
     */
    boolean hasSysfsAttributeElseRemove(String module, String attribute) {
        boolean has = hasSysfsAttribute(module, attribute);
        if (!has) {
            disable(module);
            unload(module);
        }
        return has;
    }

    /** Whether the patch has this sysfs attribute: the scripts' {@code does_sysfs_exist}. */
    private boolean hasSysfsAttribute(String module, String attribute) {
        return shell.exec("test -f /sys/kernel/livepatch/" + module + "/" + attribute, COMMAND)
                        .exitCode()
                == 0;
    }

    /** A line of the test's own in the kernel log, as the scripts' {@code log}. */
    void log(String message) {
        shell.run("echo '" + message + "' > /dev/kmsg", COMMAND);
    }

    /**
     * Traces calls of one function with the function tracer, as the scripts' {@code trace_function}, to the same end
     * state. The filter is set before the tracer starts: the scripts start it first, which makes ftrace patch every
     * traceable function in the kernel and then all of them back but one (seconds of text patching under emulation).
     */
    void traceFunction(String function) {
        shell.run(
                cleanupTracing() + " && echo " + function + " > " + TRACING + "/set_ftrace_filter && echo function > "
                        + TRACING + "/current_tracer && echo 1 > " + TRACING + "/tracing_on",
                COMMAND);
    }

    /**
     * Each function appeared in the trace; then tracing is cleaned up, as the scripts' {@code check_traced_functions},
     * and switched back on: a fresh guest has it on (with no tracer), so the next test needs no reset. (The scripts'
     * cleanup leaves it off, which no later case looks at.)
     */
    void checkTracedFunctions(String... functions) {
        String trace = shell.run("cat " + TRACING + "/trace", COMMAND).stdout();
        for (String function : functions) {
            assertThat(trace).as("the function trace").containsPattern("\\b" + function + "\\b");
        }
        shell.run(cleanupTracing() + " && echo 1 > " + TRACING + "/tracing_on", COMMAND);
    }

    /** Turns kprobes on: {@code echo 1 > /sys/kernel/debug/kprobes/enabled}. */
    void enableKprobes() {
        shell.run("echo 1 > /sys/kernel/debug/kprobes/enabled", COMMAND);
    }

    /**
     * The scripts' {@code cleanup_tracing}, with the tracer stopped before its filter is emptied: emptied first, the
     * running function tracer would trace every function until it stops.
     */
    private static String cleanupTracing() {
        return "echo 0 > " + TRACING + "/tracing_on && echo nop > " + TRACING + "/current_tracer && echo > " + TRACING
                + "/set_ftrace_filter && echo > " + TRACING + "/trace";
    }

    void expectContent(String path, String content) {
        assertThat(shell.run("cat " + path, COMMAND).stdout().strip()).as(path).isEqualTo(content);
    }

    void expectNotContent(String path, String content) {
        assertThat(shell.run("cat " + path, COMMAND).stdout().strip()).as(path).isNotEqualTo(content);
    }

    void checkSysfsRights(String module, String attribute, String rights) {
        String path = "/sys/kernel/livepatch/" + module + (attribute.isEmpty() ? "" : "/" + attribute);
        assertThat(shell.run("/bin/stat --format %A " + path, COMMAND).stdout().strip())
                .as("rights of " + path)
                .isEqualTo(rights);
    }

    void checkSysfsValue(String module, String attribute, String value) {
        String path = "/sys/kernel/livepatch/" + module + "/" + attribute;
        assertThat(shell.run("cat " + path, COMMAND).stdout().strip()).as(path).isEqualTo(value);
    }

    /** Compares the kernel log since the test's start with the expected lines, exactly and in order. */
    void check(String expected) {
        List<String> lines = livepatches.kernelLog().lines();
        int start = lines.lastIndexOf(startLine);
        assertThat(start).as("the test's start line in the kernel log").isNotNegative();
        assertThat(KernelLines.of(lines.subList(start + 1, lines.size())))
                .as("kernel log since '%s'", startLine)
                .containsExactlyElementsOf(expected.strip().lines().toList());
    }

    private static Map<String, String> parameters(String... words) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            parameters.put(word.substring(0, equals), word.substring(equals + 1));
        }
        return parameters;
    }
}
