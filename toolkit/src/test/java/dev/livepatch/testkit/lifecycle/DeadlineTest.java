package dev.livepatch.testkit.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class DeadlineTest {
    @Test
    void pollReturnsTheFirstValueTheProbeYields() {
        AtomicInteger probes = new AtomicInteger();

        String value = Deadline.after(Duration.ofSeconds(10))
                .poll(
                        "the third probe",
                        Duration.ofMillis(5),
                        () -> probes.incrementAndGet() == 3 ? Optional.of("ready") : Optional.empty(),
                        () -> "probe " + probes.get());

        assertThat(value).isEqualTo("ready");
        assertThat(probes).hasValue(3);
    }

    @Test
    void pollTimeoutSaysWhatWasAwaitedTheLimitAndWhatWasLastSeen() {
        AtomicInteger probes = new AtomicInteger();
        Deadline deadline = Deadline.after(Duration.ofMillis(200));

        assertThatThrownBy(() -> deadline.poll(
                        "/sys/kernel/livepatch/lp1/transition to be 0",
                        Duration.ofMillis(20),
                        () -> {
                            probes.incrementAndGet();
                            return Optional.empty();
                        },
                        () -> "transition=1 after " + probes.get() + " probes"))
                .isInstanceOfSatisfying(WaitTimeoutException.class, e -> {
                    assertThat(e.awaited()).isEqualTo("/sys/kernel/livepatch/lp1/transition to be 0");
                    assertThat(e.limit()).isEqualTo(Duration.ofMillis(200));
                    assertThat(e.lastSeen()).isEqualTo("transition=1 after " + probes.get() + " probes");
                })
                .hasMessage("Timed out waiting for /sys/kernel/livepatch/lp1/transition to be 0 after 200 ms;"
                        + " last seen: transition=1 after " + probes.get() + " probes");
        assertThat(deadline.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(deadline.expired()).isTrue();
        assertThat(deadline.remaining()).isZero();
        assertThat(probes.get()).isBetween(3, 12);
    }

    @Test
    void anExpiredDeadlineStillProbesOnce() {
        AtomicInteger probes = new AtomicInteger();

        assertThatThrownBy(() -> Deadline.after(Duration.ZERO)
                        .poll(
                                "anything",
                                Duration.ofSeconds(1),
                                () -> {
                                    probes.incrementAndGet();
                                    return Optional.empty();
                                },
                                () -> "nothing"))
                .hasMessage("Timed out waiting for anything after 0 ms; last seen: nothing");
        assertThat(probes).hasValue(1);
    }

    @Test
    void durationsAreFormattedForPeople() {
        assertThat(Durations.format(Duration.ofMillis(850))).isEqualTo("850 ms");
        assertThat(Durations.format(Duration.ofMillis(2300))).isEqualTo("2.3 s");
        assertThat(Durations.format(Duration.ofSeconds(30))).isEqualTo("30 s");
        assertThat(Durations.format(Duration.ofSeconds(185))).isEqualTo("3 min 5 s");
        assertThat(Durations.format(Duration.ofMinutes(3))).isEqualTo("3 min");
    }

    @Test
    void medianOfOddAndEvenSampleCounts() {
        assertThat(Durations.median(
                        java.util.List.of(Duration.ofMillis(30), Duration.ofMillis(10), Duration.ofMillis(20))))
                .isEqualTo(Duration.ofMillis(20));
        assertThat(Durations.median(java.util.List.of(Duration.ofMillis(40), Duration.ofMillis(10))))
                .isEqualTo(Duration.ofMillis(25));
        assertThat(Durations.median(java.util.List.of())).isEqualTo(Duration.ZERO);
    }
}
