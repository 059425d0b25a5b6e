package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Real-guest tests need QEMU: skipped without it locally, failed without it in CI. */
public final class QemuPrerequisite {
    private QemuPrerequisite() {}

    public static void require() {
        boolean present = Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, QemuCommand.BINARY)));
        if (!present && Settings.prerequisitesRequired()) {
            fail(QemuCommand.BINARY + " is not installed, and CI requires the real-guest tests to run");
        }
        assumeTrue(present, QemuCommand.BINARY + " is not installed");
    }

    /** How many QEMU processes run on this machine right now. */
    static long qemuProcesses() {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes
                    .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readString(p.resolve("comm")).strip().startsWith("qemu-system");
                        } catch (IOException e) {
                            return false;
                        }
                    })
                    .count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
