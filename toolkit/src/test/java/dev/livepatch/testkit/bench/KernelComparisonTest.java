package dev.livepatch.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KernelComparisonTest {

    @Test
    void everyKernelAfterTheFirstHasItsRatioToTheFirst() {
        KernelComparison comparison = new KernelComparison(List.of("start", "reset"));
        comparison.add("6.1.0-56-amd64", List.of(Duration.ofMillis(1500), Duration.ofMillis(400)));
        comparison.add("7.2.13+deb14-amd64", List.of(Duration.ofMillis(1650), Duration.ofMillis(380)));

        assertThat(comparison.rows())
                .containsExactly(
                        new KernelComparison.Row(
                                "6.1.0-56-amd64",
                                List.of(Duration.ofMillis(1500), Duration.ofMillis(400)),
                                Optional.empty()),
                        new KernelComparison.Row(
                                "7.2.13+deb14-amd64",
                                List.of(Duration.ofMillis(1650), Duration.ofMillis(380)),
                                Optional.of(List.of(1.1, 0.95))));
    }

    @Test
    void aKernelMeasuredAgainKeepsItsPlaceAndItsLastMedians() {
        KernelComparison comparison = new KernelComparison(List.of("start"));
        comparison.add("6.1.0-56-amd64", List.of(Duration.ofMillis(1000)));
        comparison.add("7.2.13+deb14-amd64", List.of(Duration.ofMillis(1500)));
        comparison.add("6.1.0-56-amd64", List.of(Duration.ofMillis(500)));

        assertThat(comparison.rows())
                .extracting(KernelComparison.Row::kernel, KernelComparison.Row::ratios)
                .containsExactly(
                        tuple("6.1.0-56-amd64", Optional.empty()),
                        tuple("7.2.13+deb14-amd64", Optional.of(List.of(3.0))));
    }

    @Test
    void aKernelWithMissingFiguresIsRefused() {
        KernelComparison comparison = new KernelComparison(List.of("start", "reset"));

        assertThatThrownBy(() -> comparison.add("6.1.0-56-amd64", List.of(Duration.ofSeconds(1))))
                .hasMessage("Expected 2 medians [start, reset] for 6.1.0-56-amd64, got [PT1S]");
    }
}
