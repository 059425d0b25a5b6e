package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KernelComparisonTest {

    @Test
    void everyKernelAfterTheFirstShowsItsRatioToTheFirst() {
        KernelComparison comparison = new KernelComparison(List.of("start", "reset"));
        comparison.add("6.1.0-56-amd64", List.of(Duration.ofMillis(1500), Duration.ofMillis(400)));
        comparison.add("7.2.13+deb14-amd64", List.of(Duration.ofMillis(1650), Duration.ofMillis(380)));

        assertThat(comparison.render())
                .isEqualTo("kernel             | start         | reset\n"
                        + "6.1.0-56-amd64     | 1.5 s         | 400 ms\n"
                        + "7.2.13+deb14-amd64 | 1.7 s (1.10x) | 380 ms (0.95x)\n"
                        + "(ratios against the first kernel, measured in this run)\n");
    }

    @Test
    void aKernelWithMissingFiguresIsRefused() {
        KernelComparison comparison = new KernelComparison(List.of("start", "reset"));

        assertThatThrownBy(() -> comparison.add("6.1.0-56-amd64", List.of(Duration.ofSeconds(1))))
                .hasMessage("Expected 2 medians [start, reset] for 6.1.0-56-amd64, got [PT1S]");
    }
}
