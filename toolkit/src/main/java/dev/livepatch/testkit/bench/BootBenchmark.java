package dev.livepatch.testkit.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.lifecycle.Durations;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Measures how fast guests come up: cold boot, start from the boot snapshot, and reset, each to a working SSH command;
 * the last two also by hand (plain QEMU, OpenSSH), interleaved, as the floor they are compared with.
 */
@API(status = INTERNAL, since = "0.1")
public final class BootBenchmark {
    /** The columns of {@link Figures#medians()}, to compare kernels by. */
    public static final List<String> MEASURES = List.of("cold boot", "start from snapshot", "reset");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private BootBenchmark() {}

    /**
     * All samples of each measurement, with the hand-driven floor of the snapshot start and the reset measured in the
     * same minutes (see {@link SnapshotFloor}); on an architecture whose guests boot cold only (no snapshots), the cold
     * boots alone.
     */
    public record Figures(
            List<Duration> cold,
            List<Duration> snapshotStart,
            List<Duration> reset,
            List<Duration> floorStart,
            List<Duration> floorReset) {
        /** Whether the snapshot start and the reset were measured: not where guests cannot be restored. */
        public boolean hasSnapshots() {
            return !snapshotStart.isEmpty();
        }

        public List<Measurement> measurements() {
            Measurement coldBoot = new Measurement("cold boot to a working SSH command", cold, Duration.ofSeconds(6));
            if (!hasSnapshots()) {
                return List.of(coldBoot);
            }
            return List.of(
                    coldBoot,
                    new Measurement(
                            "start from snapshot to a working SSH command", snapshotStart, Duration.ofMillis(600)),
                    new Measurement("reset to a working SSH command", reset, Duration.ofMillis(400)));
        }

        /** The snapshot start and the reset against the same done by hand; none without snapshots. */
        public List<FloorComparison> floors() {
            if (!hasSnapshots()) {
                return List.of();
            }
            return List.of(
                    new FloorComparison("start from snapshot", Durations.median(snapshotStart), floorStart),
                    new FloorComparison("reset", Durations.median(reset), floorReset));
        }

        /** How many times faster a start from the snapshot is than a cold boot; call only with snapshots. */
        public double snapshotSpeedup() {
            return Durations.median(cold).toNanos()
                    / (double) Durations.median(snapshotStart).toNanos();
        }

        /** The medians of {@link #MEASURES}. */
        public List<Duration> medians() {
            return List.of(Durations.median(cold), Durations.median(snapshotStart), Durations.median(reset));
        }
    }

    public static Figures run(Kernel kernel, GuestImage image, Machine machine, int runs, Progress progress) {
        List<Duration> cold = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (Guest guest = Guests.bootCold(kernel, image, machine, Progress.silent())) {
                cold.add(guest.startDuration());
            }
        }
        if (!kernel.arch().qemu().snapshots()) {
            return new Figures(cold, List.of(), List.of(), List.of(), List.of());
        }
        Guests.start(kernel, image, machine, progress).close();
        List<Duration> snapshot = new ArrayList<>();
        List<Duration> reset = new ArrayList<>();
        List<Duration> floorStart = new ArrayList<>();
        List<Duration> floorReset = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            SnapshotFloor.Figures floor = SnapshotFloor.measure(kernel, image, machine, 2);
            floorStart.add(floor.start());
            floorReset.addAll(floor.resets());
            try (Guest guest = Guests.start(kernel, image, machine, Progress.silent())) {
                snapshot.add(guest.startDuration());
                for (int j = 0; j < 2; j++) {
                    guest.shell().run("touch /tmp/dirty", COMMAND_TIMEOUT);
                    long start = System.nanoTime();
                    guest.reset();
                    guest.shell().run("true", COMMAND_TIMEOUT);
                    reset.add(Duration.ofNanos(System.nanoTime() - start));
                }
            }
        }
        return new Figures(cold, snapshot, reset, floorStart, floorReset);
    }
}
