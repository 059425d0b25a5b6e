package dev.livepatch.testkit.junit;

import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.vm.Guest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a failed test leaves for its reader: the kernel log and the livepatch sysfs tree, read from the guest. */
final class FailureEvidence {
    private static final Duration LIMIT = Duration.ofSeconds(20);

    private FailureEvidence() {}

    static Map<String, String> collect(Guest guest) {
        Map<String, String> evidence = new LinkedHashMap<>();
        evidence.put("dmesg (last 80 lines)", read(guest, "dmesg | tail -n 80"));
        evidence.put(
                "sysfs /sys/kernel/livepatch",
                read(
                        guest,
                        "cd /sys/kernel/livepatch 2>/dev/null && for f in $(find . -type f); do"
                                + " printf '%s: ' \"$f\"; cat \"$f\" 2>/dev/null || echo '(write-only)'; done"));
        evidence.put("modules", read(guest, "cat /proc/modules"));
        return evidence;
    }

    private static String read(Guest guest, String command) {
        try {
            ExecResult result = guest.shell().exec(command, LIMIT);
            return result.stdout().isBlank() ? "(empty)" : result.stdout();
        } catch (RuntimeException e) {
            return "(could not read: " + e.getMessage() + ")";
        }
    }
}
