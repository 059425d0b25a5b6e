package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * Chooses KVM only when it really works. {@code /dev/kvm} can exist and answer yet be unusable (nested
 * virtualisation without the MSRs QEMU wants, or a guest that never runs), so the probe boots a 512-byte
 * boot sector under KVM that writes "OK" to the serial port; the verdict is remembered per QEMU version and
 * host kernel.
 */
final class AcceleratorProbe {
    private static final Path KVM = Path.of("/dev/kvm");
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(8);

    private final Cache cache;
    private final Progress progress;

    AcceleratorProbe(Cache cache, Progress progress) {
        this.cache = cache;
        this.progress = progress;
    }

    Accelerator choose() {
        String wanted = Settings.ACCEL.get();
        switch (wanted) {
            case "tcg":
                return Accelerator.TCG;
            case "kvm":
                return Accelerator.KVM;
            case "auto":
                break;
            default:
                throw new GuestException(
                        "Unknown accelerator '" + wanted + "' (" + Settings.ACCEL.name() + " takes auto, kvm or tcg)");
        }
        if (!Files.isReadable(KVM) || !Files.isWritable(KVM)) {
            progress.note("No usable /dev/kvm: guests run under TCG emulation (slower)");
            return Accelerator.TCG;
        }
        Path verdict = cache.root().resolve("accel").resolve("kvm-" + fingerprint());
        String known = read(verdict);
        if (known == null) {
            known = probe() ? "kvm" : "tcg";
            write(verdict, known);
            if (known.equals("tcg")) {
                progress.note("/dev/kvm is present but KVM cannot run a guest here: using TCG emulation (slower)");
            }
        }
        return known.equals("kvm") ? Accelerator.KVM : Accelerator.TCG;
    }

    static byte[] bootSector() {
        byte[] sector = new byte[512];
        byte[] code = {
            (byte) 0xBA, (byte) 0xF8, 0x03, // mov dx, 0x3f8 (COM1)
            (byte) 0xB0, 'O', (byte) 0xEE, // mov al, 'O'; out dx, al
            (byte) 0xB0, 'K', (byte) 0xEE, // mov al, 'K'; out dx, al
            (byte) 0xB0, '\n', (byte) 0xEE, // mov al, '\n'; out dx, al
            (byte) 0xF4, (byte) 0xEB, (byte) 0xFD // hlt; jmp back to hlt
        };
        System.arraycopy(code, 0, sector, 0, code.length);
        sector[510] = 0x55;
        sector[511] = (byte) 0xAA;
        return sector;
    }

    private boolean probe() {
        try (Progress.Step step = progress.start("Checking whether KVM works")) {
            Path dir = Files.createTempDirectory("lpt-kvm-probe-");
            try {
                Path image = dir.resolve("boot.img");
                Files.write(image, bootSector());
                ExecResult result = ProcessRunner.create()
                        .exec(
                                List.of(
                                        "timeout",
                                        Long.toString(PROBE_TIMEOUT.toSeconds()),
                                        QemuCommand.BINARY,
                                        "-accel",
                                        "kvm",
                                        "-cpu",
                                        "host",
                                        "-machine",
                                        "pc",
                                        "-nodefaults",
                                        "-display",
                                        "none",
                                        "-serial",
                                        "stdio",
                                        "-drive",
                                        "file=" + image + ",format=raw,if=ide"),
                                PROBE_TIMEOUT.plusSeconds(5));
                boolean works = result.stdout().contains("OK");
                step.update(works ? "yes" : "no");
                return works;
            } finally {
                Cache.deleteRecursively(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fingerprint() {
        String qemu = ProcessRunner.create()
                .run(List.of(QemuCommand.BINARY, "--version"), Duration.ofSeconds(10))
                .stdout()
                .lines()
                .findFirst()
                .orElse("unknown");
        String host = System.getProperty("os.version");
        return Integer.toHexString((qemu + "|" + host).hashCode());
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static void write(Path file, String value) {
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".verdict-", ".tmp");
            Files.writeString(temporary, value);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not remember the KVM verdict in " + file, e);
        }
    }
}
