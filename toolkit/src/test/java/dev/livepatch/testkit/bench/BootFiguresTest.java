package dev.livepatch.testkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a boot benchmark's samples come to: each measurement with its target, the floors and the ratios. */
class BootFiguresTest {
    private static final BootBenchmark.Figures FIGURES = new BootBenchmark.Figures(
            List.of(seconds(4), seconds(5), seconds(6)),
            List.of(millis(600), millis(700)),
            List.of(millis(300), millis(280), millis(320), millis(310)),
            List.of(millis(1000), millis(1100)),
            List.of(millis(600), millis(620)));

    @Test
    void eachMeasurementHasItsLabelSamplesAndTarget() {
        assertThat(FIGURES.measurements())
                .containsExactly(
                        new Measurement("cold boot to a working SSH command", FIGURES.cold(), seconds(6)),
                        new Measurement(
                                "start from snapshot to a working SSH command", FIGURES.snapshotStart(), millis(600)),
                        new Measurement("reset to a working SSH command", FIGURES.reset(), millis(400)));
        assertThat(FIGURES.measurements().get(1).median()).isEqualTo(millis(650));
        assertThat(FIGURES.measurements().get(0).ofTarget()).isEqualTo(5.0 / 6);
    }

    @Test
    void theStartAndTheResetAreSetAgainstTheirFloor() {
        List<FloorComparison> floors = FIGURES.floors();

        assertThat(floors).extracting(FloorComparison::what).containsExactly("start from snapshot", "reset");
        assertThat(floors.get(0).floorMedian()).isEqualTo(millis(1050));
        assertThat(floors.get(0).ratio()).isEqualTo(650 / 1050.0);
        assertThat(floors.get(1).toolkit()).isEqualTo(millis(305));
        assertThat(floors.get(1).ratio()).isEqualTo(305 / 610.0);
    }

    @Test
    void theMediansToCompareKernelsByAndTheSnapshotsSpeedup() {
        assertThat(FIGURES.medians()).containsExactly(seconds(5), millis(650), millis(305));
        assertThat(BootBenchmark.MEASURES).hasSameSizeAs(FIGURES.medians());
        assertThat(FIGURES.snapshotSpeedup()).isEqualTo(5000 / 650.0);
    }

    @Test
    void withoutSnapshotsOnlyTheColdBootIsMeasured() {
        BootBenchmark.Figures coldOnly =
                new BootBenchmark.Figures(List.of(seconds(8), seconds(9)), List.of(), List.of(), List.of(), List.of());

        assertThat(coldOnly.hasSnapshots()).isFalse();
        assertThat(coldOnly.measurements())
                .extracting(Measurement::label)
                .containsExactly("cold boot to a working SSH command");
        assertThat(coldOnly.floors()).isEmpty();
        assertThat(FIGURES.hasSnapshots()).isTrue();
    }

    private static Duration seconds(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    private static Duration millis(long millis) {
        return Duration.ofMillis(millis);
    }
}
