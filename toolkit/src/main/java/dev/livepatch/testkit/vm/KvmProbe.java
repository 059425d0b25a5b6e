package dev.livepatch.testkit.vm;

import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.lifecycle.WaitTimeoutException;
import dev.livepatch.testkit.util.Folders;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Whether an accelerator really runs a guest (KVM can be present and still fail): boots a 512-byte boot sector
 * that writes {@code OK} to the first serial port and halts, and waits for those bytes.
 */
final class KvmProbe implements BooleanSupplier {
    private final Duration timeout;
    private final Accelerator accelerator;

    KvmProbe(Duration timeout) {
        this(timeout, Accelerator.KVM);
    }

    KvmProbe(Duration timeout, Accelerator accelerator) {
        this.timeout = timeout;
        this.accelerator = accelerator;
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

    static List<String> command(Path bootSector, Accelerator accelerator) {
        return new QemuArguments(QemuCommand.BINARY)
                .accelerator(accelerator, Arch.X86_64)
                .bareMachine(QemuCommand.MACHINE_TYPE)
                .serialOnStdout()
                .floppy(bootSector)
                .list();
    }

    @Override
    public boolean getAsBoolean() {
        Path folder = null;
        try {
            folder = Files.createTempDirectory("lpt-kvm-probe-");
            Path image = folder.resolve("boot.img");
            Files.write(image, bootSector());
            ByteArrayOutputStream serial = new ByteArrayOutputStream();
            try (QemuProcess qemu = QemuProcess.launch(command(image, accelerator), serial, folder)) {
                return Deadline.after(timeout)
                        .poll(
                                "the " + accelerator + " probe's boot sector to write OK to the serial port",
                                Duration.ofMillis(10),
                                () -> {
                                    if (serial.toString(StandardCharsets.ISO_8859_1)
                                            .contains("OK")) {
                                        return Optional.of(true);
                                    }
                                    return qemu.isAlive() ? Optional.empty() : Optional.of(false);
                                },
                                qemu::errors);
            }
        } catch (WaitTimeoutException | GuestBootException e) {
            return false;
        } catch (IOException e) {
            throw new GuestException("Could not prepare the KVM probe", e);
        } finally {
            deleteQuietly(folder);
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            Folders.deleteRecursively(folder);
        } catch (IOException ignored) {
            // A leftover probe folder in the temp directory holds nothing anyone reads.
        }
    }
}
