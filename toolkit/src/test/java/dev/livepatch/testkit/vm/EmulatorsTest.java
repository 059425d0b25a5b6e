package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmulatorsTest {
    @Test
    void onlyLoongarch64MayTakeItsEmulatorFromTheBackports() {
        assertThat(Emulators.FROM_BACKPORTS).containsOnlyKeys(Arch.LOONGARCH64);
        assertThat(Emulators.FROM_BACKPORTS.get(Arch.LOONGARCH64))
                .isEqualTo(Arch.LOONGARCH64.qemu().debianPackage());
    }

    @Test
    void everyOtherArchitectureRunsTheHostsEmulatorWithoutAProbe(@TempDir Path folder) {
        Cache cache = new Cache(folder.resolve("cache"));
        Path missing = folder.resolve("no-such-image");

        for (Arch arch : List.of(Arch.X86_64, Arch.ARM64, Arch.PPC64LE, Arch.S390X)) {
            assertThat(Emulators.resolve(arch, missing, cache, Progress.silent()))
                    .isEqualTo(arch.qemu().binary());
        }
        assertThat(folder.resolve("cache")).doesNotExist();
    }

    @Test
    void theProbeBuildsTheMachineLoadsTheKernelAndWritesTheDeviceTreeToItsOwnFile() {
        List<String> command = Emulators.probeCommand(
                "qemu-system-loongarch64",
                Arch.LOONGARCH64,
                Path.of("/k/arch/loongarch/boot/vmlinux.efi"),
                Path.of("/tmp/probe,1/guest.dtb"));

        assertThat(command)
                .containsExactly(
                        "qemu-system-loongarch64",
                        "-machine",
                        "virt,dumpdtb=/tmp/probe,,1/guest.dtb",
                        "-cpu",
                        "la464",
                        "-m",
                        "1G",
                        "-nodefaults",
                        "-no-user-config",
                        "-display",
                        "none",
                        "-kernel",
                        "/k/arch/loongarch/boot/vmlinux.efi");
        assertThat(String.join(" ", command)).doesNotContain("/dev/null");
    }

    @Test
    void anEmulatorThatCannotStartDoesNotLoadTheImage(@TempDir Path folder) {
        ExecResult result =
                Emulators.probe(folder.resolve("qemu-system-loongarch64").toString(), Arch.LOONGARCH64, folder);

        assertThat(result.succeeded()).isFalse();
        assertThat(result.stderr()).contains("qemu-system-loongarch64");
    }
}
