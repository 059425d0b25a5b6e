package dev.livepatch.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GuestFingerprintTest {
    private static final String FRESH = """
            /proc/self/stat:412 (grep) R 300 412 1 0 -1 4194560 97 0 0 0 0 0 0 0 20 0 1 0 2400 2457600 68
            /proc/modules:virtio_net 61440 0 - Live 0x0000000000000000
            /proc/sys/kernel/tainted:0
            /sys/kernel/tracing/tracing_on:1
            /proc/1/stat:1 (init) S 0 1 1 0 -1 4194560 300 2000 0 0 1 2 3 4 20 0 1 0 2 2457600 100
            /proc/2/stat:2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 2 0 0
            /proc/35/stat:35 (kworker/0:2-events) I 2 0 0 0 -1 69238880 0 0 0 0 0 3 0 0 20 0 1 0 60 0 0
            /proc/300/stat:300 (sh) S 290 300 300 0 -1 4194560 500 0 0 0 2 1 0 0 20 0 1 0 300 3000000 200
            /proc/412/stat:412 (grep) R 300 412 1 0 -1 4194560 97 0 0 0 0 0 0 0 20 0 1 0 2400 2457600 68
            """;

    @Test
    void leavesOutTheProbeKernelThreadsAndWhatChangesWithoutMeaning() {
        assertThat(GuestFingerprint.parse(FRESH).text()).isEqualTo("""
                        module virtio_net
                        taint 0
                        /sys/kernel/tracing/tracing_on:1
                        process 1 init
                        process 300 sh""");
    }

    @Test
    void aModuleLoadsOwnTaintIsNoChangeButAWarningIs() {
        GuestFingerprint fresh = GuestFingerprint.parse(FRESH);
        String afterLivepatch = FRESH.replace("tainted:0", "tainted:45056")
                .replace("412 (grep) R 300", "530 (grep) R 300")
                .replace("/proc/35/stat:35 (kworker/0:2-events)", "/proc/36/stat:36 (kworker/0:3-events)");

        assertThat(GuestFingerprint.parse(afterLivepatch)).isEqualTo(fresh);
        assertThat(fresh.differences(GuestFingerprint.parse(FRESH.replace("tainted:0", "tainted:45568"))))
                .containsExactly("- taint 0", "+ taint 512");
    }

    @Test
    void aLeftoverModuleOrProcessIsAChange() {
        GuestFingerprint fresh = GuestFingerprint.parse(FRESH);
        String leftover = FRESH.replace(
                "/proc/sys/kernel/tainted:0",
                "/proc/modules:lpt_cmdline 16384 1 - Live 0x0000000000000000 (OEK)\n"
                        + "/sys/kernel/livepatch/lpt_cmdline/enabled:1\n/proc/sys/kernel/tainted:0\n"
                        + "/proc/450/stat:450 (hammer getpid) S 1 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 9 0 0");

        assertThat(fresh.differences(GuestFingerprint.parse(leftover)))
                .containsExactly(
                        "+ module lpt_cmdline",
                        "+ /sys/kernel/livepatch/lpt_cmdline/enabled:1",
                        "+ process 450 hammer getpid");
    }
}
