package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.bench.FloorComparison;
import dev.livepatch.testkit.bench.KernelComparison;
import dev.livepatch.testkit.bench.Measurement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchOutputTest {

    @Test
    void aMeasurementIsOneLineWithItsMedianTargetAndSamples() {
        Measurement reset = new Measurement(
                "reset to a working SSH command",
                List.of(Duration.ofMillis(310), Duration.ofMillis(290), Duration.ofMillis(300)),
                Duration.ofMillis(400));

        assertThat(BenchOutput.line(reset))
                .isEqualTo("reset to a working SSH command                 median   300 ms  (target 400 ms, 0.75x of"
                        + " target; samples [310 ms, 290 ms, 300 ms])\n");
    }

    @Test
    void aFloorIsOneLineWithItsMedianSamplesAndTheToolkitsRatio() {
        FloorComparison floor = new FloorComparison(
                "reset", Duration.ofMillis(300), List.of(Duration.ofMillis(600), Duration.ofMillis(590)));

        assertThat(BenchOutput.line(floor))
                .isEqualTo("reset floor                                    median   595 ms  (by hand: plain QEMU +"
                        + " OpenSSH, samples [600 ms, 590 ms]): the toolkit takes 0.50x the floor\n");
    }

    @Test
    void everyKernelAfterTheFirstShowsItsRatioToTheFirst() {
        KernelComparison comparison = new KernelComparison(List.of("start", "reset"));
        comparison.add("6.1.0-56-amd64", List.of(Duration.ofMillis(1500), Duration.ofMillis(400)));
        comparison.add("7.2.13+deb14-amd64", List.of(Duration.ofMillis(1650), Duration.ofMillis(380)));

        assertThat(BenchOutput.render(comparison))
                .isEqualTo("kernel             | start         | reset\n"
                        + "6.1.0-56-amd64     | 1.5 s         | 400 ms\n"
                        + "7.2.13+deb14-amd64 | 1.7 s (1.10x) | 380 ms (0.95x)\n"
                        + "(ratios against the first kernel, measured in this run)\n");
    }
}
