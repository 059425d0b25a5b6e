package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcceleratorChoiceTest {
    private static final String FINGERPRINT = "7.2.22 (Debian 1:7.2+dfsg-7)-host-6.1.0-56-amd64";

    @TempDir
    Path dir;

    private Path device;
    private Path verdicts;
    private final AtomicInteger probes = new AtomicInteger();
    private final List<String> notes = new ArrayList<>();
    private final Progress progress = Progress.notesTo(notes::add);

    @BeforeEach
    void usableDevice() throws IOException {
        device = Files.createFile(dir.resolve("kvm"));
        verdicts = dir.resolve("accel");
    }

    private AcceleratorChoice choice(String setting, boolean kvmWorks) {
        return choice(setting, FINGERPRINT, kvmWorks);
    }

    private AcceleratorChoice choice(String setting, String fingerprint, boolean kvmWorks) {
        return new AcceleratorChoice(setting, device, verdicts, fingerprint, () -> {
            probes.incrementAndGet();
            return kvmWorks;
        });
    }

    @Test
    void aBrokenKvmFallsBackToTcgOnceProbedAndSaysSoEveryTime() throws IOException {
        assertThat(choice("auto", false).choose(progress)).isEqualTo(Accelerator.TCG);
        assertThat(choice("auto", false).choose(progress)).isEqualTo(Accelerator.TCG);

        assertThat(probes).hasValue(1);
        Path verdict = choice("auto", false).verdictFile();
        assertThat(verdict.getFileName().toString()).isEqualTo("kvm-7.2.22_Debian_1_7.2+dfsg-7_-host-6.1.0-56-amd64");
        assertThat(Files.readString(verdict)).isEqualTo("TCG\n");
        assertThat(notes)
                .hasSize(2)
                .allSatisfy(note -> assertThat(note)
                        .contains("is present but KVM cannot run a guest here")
                        .contains("TCG")
                        .contains(verdict.toString()));
    }

    @Test
    void aWorkingKvmIsUsedAndRememberedWithoutNotice() {
        assertThat(choice("auto", true).choose(progress)).isEqualTo(Accelerator.KVM);
        assertThat(choice("auto", false).choose(progress)).isEqualTo(Accelerator.KVM);
        assertThat(probes).hasValue(1);
        assertThat(notes).isEmpty();
    }

    @Test
    void kvmThatTheProbePassedButARealGuestCouldNotRunIsRememberedAsTcg() {
        assertThat(choice("auto", true).choose(progress)).isEqualTo(Accelerator.KVM);

        choice("auto", true).remember(Accelerator.TCG);

        assertThat(choice("auto", true).choose(progress)).isEqualTo(Accelerator.TCG);
        assertThat(probes).hasValue(1);
        assertThat(notes).singleElement().asString().contains("KVM cannot run a guest here");
    }

    @Test
    void anotherQemuOrHostKernelIsProbedAgain() {
        assertThat(choice("auto", true).choose(progress)).isEqualTo(Accelerator.KVM);
        assertThat(choice("auto", "8.2.0-host-6.1.0-56-amd64", false).choose(progress))
                .isEqualTo(Accelerator.TCG);
        assertThat(probes).hasValue(2);
    }

    @Test
    void withoutAKvmDeviceNothingIsProbed() throws IOException {
        Files.delete(device);
        assertThat(choice("auto", true).choose(progress)).isEqualTo(Accelerator.TCG);
        assertThat(probes).hasValue(0);
        assertThat(notes).containsExactly("No usable " + device + ": guests run under TCG emulation (slower)");
        assertThat(verdicts).doesNotExist();
    }

    @Test
    void theSettingOverridesTheProbe() {
        assertThat(choice("tcg", true).choose(progress)).isEqualTo(Accelerator.TCG);
        assertThat(choice("KVM", false).choose(progress)).isEqualTo(Accelerator.KVM);
        assertThat(probes).hasValue(0);
        assertThat(notes).isEmpty();
    }

    @Test
    void anUnknownSettingIsRefusedWithTheChoices() {
        assertThatThrownBy(() -> choice("hvf", true).choose(progress))
                .isInstanceOf(GuestException.class)
                .hasMessage("Unknown accelerator 'hvf': livepatch.accel takes auto, kvm or tcg");
    }

    @Test
    void theProbeIsABootSectorWritingToTheFirstSerialPortUnderKvm() {
        byte[] sector = KvmProbe.bootSector();
        assertThat(sector).hasSize(512);
        assertThat(sector[510]).isEqualTo((byte) 0x55);
        assertThat(sector[511]).isEqualTo((byte) 0xAA);
        assertThat(sector).startsWith((byte) 0xBA, (byte) 0xF8, (byte) 0x03);
        assertThat(KvmProbe.command(Path.of("/p/boot.img"), Accelerator.KVM))
                .containsSequence("-accel", "kvm", "-cpu", "host")
                .containsSequence("-serial", "stdio")
                .contains("file=/p/boot.img,format=raw,if=floppy");
    }
}
