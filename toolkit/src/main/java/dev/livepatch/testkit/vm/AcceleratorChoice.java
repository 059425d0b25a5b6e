package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Chooses KVM only when it really works. {@code /dev/kvm} can exist and answer yet be unusable (nested
 * virtualisation without the MSRs QEMU wants, or a guest that never runs), so a real probe decides, once per QEMU
 * version and host kernel release; the verdict is remembered in a file named after both. {@link
 * Settings#ACCEL} ({@code auto}, {@code kvm}, {@code tcg}) overrides the choice.
 */
final class AcceleratorChoice {
    private final String setting;
    private final Path kvmDevice;
    private final Path verdicts;
    private final String fingerprint;
    private final BooleanSupplier probe;

    /**
     * @param fingerprint names what the verdict depends on (QEMU version, host kernel release)
     * @param probe boots something tiny under KVM and says whether it ran
     */
    AcceleratorChoice(String setting, Path kvmDevice, Path verdicts, String fingerprint, BooleanSupplier probe) {
        this.setting = setting.strip().toLowerCase(Locale.ROOT);
        this.kvmDevice = kvmDevice;
        this.verdicts = verdicts;
        this.fingerprint = fingerprint.replaceAll("[^A-Za-z0-9._+-]+", "_");
        this.probe = probe;
    }

    /** The accelerator to use; a fallback to TCG is explained through {@code progress}. */
    Accelerator choose(Progress progress) {
        switch (setting) {
            case "tcg":
                return Accelerator.TCG;
            case "kvm":
                return Accelerator.KVM;
            case "auto":
                break;
            default:
                throw new GuestException(
                        "Unknown accelerator '" + setting + "': " + Settings.ACCEL.name() + " takes auto, kvm or tcg");
        }
        if (!Files.isReadable(kvmDevice) || !Files.isWritable(kvmDevice)) {
            progress.note("No usable " + kvmDevice + ": guests run under TCG emulation (slower)");
            return Accelerator.TCG;
        }
        Path verdict = verdictFile();
        if (!Files.isRegularFile(verdict)) {
            remember(verdict, probe.getAsBoolean() ? Accelerator.KVM : Accelerator.TCG);
        }
        Accelerator known = read(verdict);
        if (known == Accelerator.TCG) {
            progress.note(kvmDevice + " is present but KVM cannot run a guest here: guests run under TCG"
                    + " emulation (slower). The verdict is kept in " + verdict + "; delete it to probe again.");
        }
        return known;
    }

    Path verdictFile() {
        return verdicts.resolve("kvm-" + fingerprint);
    }

    private static Accelerator read(Path verdict) {
        try {
            return Accelerator.valueOf(Files.readString(verdict).strip());
        } catch (IOException | IllegalArgumentException e) {
            return Accelerator.TCG;
        }
    }

    /** Keeps {@code accelerator} as the verdict, e.g. TCG once KVM failed to run a real guest the probe did not. */
    void remember(Accelerator accelerator) {
        remember(verdictFile(), accelerator);
    }

    private static void remember(Path verdict, Accelerator accelerator) {
        try {
            Files.createDirectories(verdict.getParent());
            Path temporary = Files.createTempFile(verdict.getParent(), ".verdict-", ".tmp");
            Files.writeString(temporary, accelerator.name() + "\n");
            Files.move(temporary, verdict, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new GuestException("Could not remember the KVM verdict in " + verdict, e);
        }
    }
}
