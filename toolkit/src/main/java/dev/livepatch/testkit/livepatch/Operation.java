package dev.livepatch.testkit.livepatch;

import static org.apiguardian.api.API.Status.STABLE;

import java.time.Duration;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One finished livepatch operation in the guest.
 *
 * @param subject the patch or module it acted on
 * @param command what was done, as written (after {@code % }) to the kernel log before doing it, e.g.
 *     {@code echo 0 > /sys/kernel/livepatch/lpt_cmdline/enabled}
 * @param duration how long the operation took, seen from the host (one SSH round trip in most cases)
 * @param kernelLog the kernel's messages from the marker line on
 * @param timeline for a wait for a transition, how the transition went; empty for other operations
 */
@API(status = STABLE, since = "0.1")
public record Operation(
        String subject, String command, Duration duration, KernelLog kernelLog, Optional<TransitionTimeline> timeline) {

    public Operation(String subject, String command, Duration duration, KernelLog kernelLog) {
        this(subject, command, duration, kernelLog, Optional.empty());
    }
}
