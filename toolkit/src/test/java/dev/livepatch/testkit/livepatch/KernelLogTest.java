package dev.livepatch.testkit.livepatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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

    @Test
    void theCallerThatPrintkCallerPutsAfterTheTimeIsNotPartOfTheMessage() {
        KernelMessage dmesg = KernelLogParser.message(
                "[    8.389290][  T315] livepatch: forcing remaining tasks to the patched state");
        KernelMessage console =
                KernelLogParser.message("[    1.731344] [    C0] nvram: Failed to initialize oops partition!");
        KernelMessage plain = KernelLogParser.message("[    3.513242] % insmod lpt_busy.ko block_transition=1");

        assertThat(dmesg.text()).isEqualTo("livepatch: forcing remaining tasks to the patched state");
        assertThat(dmesg.timestamp()).contains(Duration.ofSeconds(8).plusNanos(389_290_000));
        assertThat(console.text()).isEqualTo("nvram: Failed to initialize oops partition!");
        assertThat(plain.text()).isEqualTo("% insmod lpt_busy.ko block_transition=1");
    }
}
