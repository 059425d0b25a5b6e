package dev.livepatch.testkit.vm;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShells;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apiguardian.api.API;

/**
 * Starts guests. The first guest of a kernel, image, machine and accelerator boots cold and saves a boot snapshot;
 * every later one starts from a copy of it in well under a second.
 */
@API(status = INTERNAL, since = "0.1")
public final class Guests {
    private static final Path KVM_DEVICE = Path.of("/dev/kvm");
    private static final Path MEMINFO = Path.of("/proc/meminfo");
    private static final Map<String, String> QEMU_VERSIONS = new ConcurrentHashMap<>();
    private static String acceleratorSetting;
    private static Accelerator accelerator;

    private Guests() {}

    /** Starts from the boot snapshot, or boots cold and saves it; boots cold where snapshots do not work. */
    public static Guest start(Kernel kernel, GuestImage image, Machine machine, Progress progress) {
        return start(kernel, image, machine, progress, kernel.arch().qemu().snapshots());
    }

    /** Boots cold, neither starting from a boot snapshot nor saving one. */
    public static Guest bootCold(Kernel kernel, GuestImage image, Machine machine, Progress progress) {
        return start(kernel, image, machine, progress, false);
    }

    private static Guest start(
            Kernel kernel, GuestImage image, Machine machine, Progress progress, boolean useSnapshots) {
        GuestShells.prepareInBackground();
        Cache cache = Cache.standard().reportingTo(progress);
        // KVM runs only guests of this host's architecture; others are emulated.
        Accelerator accelerator = kernel.arch().isHost() ? accelerator(cache, progress) : Accelerator.TCG;
        String emulator = Emulators.resolve(kernel.arch(), kernel.image(), cache, progress);
        GuestLauncher launcher = new GuestLauncher(cache, qemuVersion(emulator));
        QemuCommand command = launcher.command(kernel, image, machine, accelerator).toBuilder()
                .binary(emulator)
                .build();
        try (OpenGuests.Starting starting = OpenGuests.starting()) {
            return launcher.start(kernel, image, command, useSnapshots, progress);
        } catch (KvmFailedException e) {
            if (!Settings.ACCEL.get().strip().equalsIgnoreCase("auto")) {
                throw e;
            }
            // The probe's boot sector ran, a real kernel did not: remember that, and boot this one under TCG.
            kvmCannotRunGuests(cache, e, progress);
            return start(kernel, image, machine, progress, useSnapshots);
        }
    }

    private static synchronized void kvmCannotRunGuests(Cache cache, KvmFailedException failure, Progress progress) {
        AcceleratorChoice choice = choice(Settings.ACCEL.get(), cache);
        choice.remember(Accelerator.TCG);
        accelerator = Accelerator.TCG;
        acceleratorSetting = Settings.ACCEL.get();
        progress.note(failure.getMessage().lines().findFirst().orElse("KVM failed") + ": guests run under TCG"
                + " emulation (slower) from now on. The verdict is kept in " + choice.verdictFile()
                + "; delete it to probe again.");
    }

    /**
     * How many guests of {@code machine} a run starts at once unless told otherwise ({@link Settings#PARALLEL}): as
     * many as this host's cores and available memory carry (see {@link Parallelism}).
     */
    public static int defaultParallelism(Machine machine) {
        return Parallelism.byDefault(machine, Runtime.getRuntime().availableProcessors(), availableMemoryMib());
    }

    private static long availableMemoryMib() {
        try {
            return Files.readAllLines(MEMINFO).stream()
                    .filter(line -> line.startsWith("MemAvailable:"))
                    .map(line -> Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024)
                    .findFirst()
                    .orElse(Long.MAX_VALUE);
        } catch (IOException | NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    /** The accelerator guests use here and why, probing KVM if no verdict is kept yet. */
    public static String describeAccelerator() {
        List<String> notes = new ArrayList<>();
        Progress recording = Progress.notesTo(notes::add);
        Accelerator chosen = accelerator(Cache.standard(), recording);
        String why = notes.isEmpty()
                ? (chosen == Accelerator.KVM ? "KVM runs guests here" : "chosen by " + Settings.ACCEL.name())
                : String.join(" ", notes);
        return chosen + " (" + why + ")";
    }

    /** The accelerator for {@link Settings#ACCEL}, chosen (and a fallback noted) once per JVM and setting. */
    static synchronized Accelerator accelerator(Cache cache, Progress progress) {
        String setting = Settings.ACCEL.get();
        if (!setting.equals(acceleratorSetting)) {
            accelerator = choose(setting, cache, progress);
            acceleratorSetting = setting;
        }
        return accelerator;
    }

    private static Accelerator choose(String setting, Cache cache, Progress progress) {
        return choice(setting, cache).choose(progress);
    }

    private static AcceleratorChoice choice(String setting, Cache cache) {
        return new AcceleratorChoice(
                setting,
                KVM_DEVICE,
                cache.root().resolve("accel"),
                qemuVersion() + "-host-" + System.getProperty("os.version"),
                new KvmProbe(Settings.KVM_PROBE_TIMEOUT.get()));
    }

    /** The x86_64 QEMU's version, e.g. {@code 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)}; asked once per JVM. */
    static String qemuVersion() {
        return qemuVersion(Arch.X86_64);
    }

    /** The version of {@code arch}'s QEMU on this host; asked once per JVM and architecture. */
    static String qemuVersion(Arch arch) {
        return qemuVersion(arch.qemu().binary());
    }

    /** The version of the emulator {@code binary} (a name on PATH, or a path); asked once per JVM and emulator. */
    static String qemuVersion(String binary) {
        return QEMU_VERSIONS.computeIfAbsent(binary, Guests::askQemuVersion);
    }

    private static String askQemuVersion(String binary) {
        String banner = ProcessRunner.create()
                .run(List.of(binary, "--version"), Settings.BOOT_TIMEOUT.get())
                .stdout()
                .lines()
                .findFirst()
                .orElse("unknown");
        return banner.replaceFirst("^QEMU emulator version ", "");
    }
}
