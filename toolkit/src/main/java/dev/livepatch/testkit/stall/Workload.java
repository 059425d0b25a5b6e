package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Load kept running in the guest while a patch goes in and out: a built-in one by name, or any shell command. The
 * built-ins use only the guest's own programs (busybox).
 *
 * @param name how the reports name it
 * @param command the POSIX shell command that runs it until the guest is reset
 */
@API(status = STABLE, since = "0.2")
public record Workload(String name, String command) {
    private static final Map<String, String> BUILT_IN = new LinkedHashMap<>();

    static {
        BUILT_IN.put(
                "cpu", "n=$(nproc); i=0; while [ $i -lt $n ]; do (while :; do :; done) & i=$((i + 1)); done; wait");
        BUILT_IN.put("fork", "while :; do busybox true; done");
        BUILT_IN.put("sleep", "i=0; while [ $i -lt 200 ]; do sleep 1000000 & i=$((i + 1)); done; wait");
        BUILT_IN.put(
                "io",
                "while :; do dd if=/dev/zero of=/tmp/lpt-io bs=64k count=64 2>/dev/null; cat /tmp/lpt-io > /dev/null;"
                        + " rm -f /tmp/lpt-io; done");
        BUILT_IN.put(
                "net",
                "(while :; do nc -l -p 7777 > /dev/null; done) & while :; do dd if=/dev/zero bs=64k count=16"
                        + " 2>/dev/null | nc -w 1 127.0.0.1 7777; done");
    }

    /** The built-in workload of that name ({@code cpu}, {@code fork}, {@code sleep}, {@code io}, {@code net}), else a command. */
    public static Workload of(String nameOrCommand) {
        String command = BUILT_IN.get(nameOrCommand);
        return command != null ? new Workload(nameOrCommand, command) : new Workload(nameOrCommand, nameOrCommand);
    }

    /** The names of the built-in workloads. */
    public static Set<String> builtIn() {
        return BUILT_IN.keySet();
    }
}
