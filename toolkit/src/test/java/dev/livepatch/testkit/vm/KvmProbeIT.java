package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The accelerator probe against real QEMU: its boot sector runs, and a broken KVM answers within the timeout. */
@Tag("qemu")
class KvmProbeIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @BeforeAll
    static void prepare() {
        QemuPrerequisite.require();
    }

    @Test
    void theBootSectorWritesToTheSerialPortUnderEmulation() {
        long start = System.nanoTime();
        assertThat(new KvmProbe(TIMEOUT, Accelerator.TCG).getAsBoolean()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT);
    }

    @Test
    void kvmGetsAVerdictWithinTheTimeout() {
        long start = System.nanoTime();
        new KvmProbe(TIMEOUT).getAsBoolean();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(6));
    }
}
