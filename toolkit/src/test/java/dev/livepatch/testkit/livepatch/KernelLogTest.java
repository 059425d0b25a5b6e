package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelLogTest {
    private static KernelLog log(String... lines) {
        return new KernelLog(List.of(lines).stream()
                .map(line -> new KernelMessage(Optional.empty(), line))
                .toList());
    }

    @Test
    void troubleIsWhatSaysTheKernelIsInTroubleNotTheLivepatchCoresRetries() {
        KernelLog log = log(
                "% insmod lpt_cmdline.ko",
                "livepatch: 'lpt_cmdline': starting patching transition",
                "livepatch: klp_try_switch_task: exe:248 has an unreliable stack",
                "livepatch: klp_try_switch_task: kworker/0:2:47 is sleeping on function lpt_busy_work_func",
                "WARNING: CPU: 0 PID: 1 at kernel/livepatch/core.c:1 klp_enable_patch+0x1/0x2",
                "INFO: task sh:52 blocked for more than 120 seconds.",
                "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                "Call Trace:",
                "unwind: unreliable stack in lpt_target",
                "BUG: kernel NULL pointer dereference, address: 0000000000000000",
                "livepatch: 'lpt_cmdline': patching complete");

        assertThat(log.troubleLines())
                .containsExactly(
                        "WARNING: CPU: 0 PID: 1 at kernel/livepatch/core.c:1 klp_enable_patch+0x1/0x2",
                        "INFO: task sh:52 blocked for more than 120 seconds.",
                        "rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:",
                        "Call Trace:",
                        "unwind: unreliable stack in lpt_target",
                        "BUG: kernel NULL pointer dereference, address: 0000000000000000");
    }
}
