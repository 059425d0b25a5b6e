package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SerialConsoleTest {
    @TempDir
    Path dir;

    private SerialConsole console(String text) throws IOException {
        SerialConsole console = new SerialConsole(dir.resolve("serial.log"));
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        console.write(bytes, 0, bytes.length);
        return console;
    }

    @Test
    void copiesEverythingToTheLogAndKeepsATail() throws IOException {
        try (SerialConsole console = console("one\r\ntwo\nthree\npartial")) {
            assertThat(console.tail(2)).isEqualTo("two\nthree\npartial");
            assertThat(console.crash()).isEmpty();
        }
        assertThat(Files.readString(dir.resolve("serial.log"))).isEqualTo("one\r\ntwo\nthree\npartial");
    }

    @Test
    void recognisesAPanicWithoutItsTimestamp() throws IOException {
        try (SerialConsole console = console(
                "[    5.1] sysrq: Trigger a crash\n[    5.2] Kernel panic - not syncing: sysrq triggered crash\n")) {
            assertThat(console.crash()).contains("Kernel panic - not syncing: sysrq triggered crash");
        }
    }

    @Test
    void recognisesOopsesAndBugs() throws IOException {
        try (SerialConsole oops = console("[ 1.0] Oops: 0002 [#1] PREEMPT SMP NOPTI\n");
                SerialConsole bug = console("[ 1.0] BUG: kernel NULL pointer dereference, address: 0\n")) {
            assertThat(oops.crash()).contains("Oops: 0002 [#1] PREEMPT SMP NOPTI");
            assertThat(bug.crash()).contains("BUG: kernel NULL pointer dereference, address: 0");
        }
    }

    @Test
    void keepsTheFirstCrashLine() throws IOException {
        try (SerialConsole console = console("BUG: first\nKernel panic - not syncing: second\n")) {
            assertThat(console.crash()).contains("BUG: first");
        }
    }

    @Test
    void recognisesGeneralProtectionFaults() throws IOException {
        try (SerialConsole console =
                console("[ 2.0] general protection fault, probably for non-canonical address 0xdead: 0000 [#1]\n")) {
            assertThat(console.crash())
                    .contains("general protection fault, probably for non-canonical address 0xdead: 0000 [#1]");
        }
    }

    @Test
    void ordinaryKernelMessagesAreNoCrash() throws IOException {
        try (SerialConsole console = console(
                "[ 1.0] livepatch: 'lpt_cmdline': patching complete\n" + "[ 1.1] Oopsie daisy\nDEBUG_BUG=y\n")) {
            assertThat(console.crash()).isEmpty();
        }
    }

    @Test
    void aCrashIsForgottenOnceTheGuestIsRestored() throws IOException {
        try (SerialConsole console = console("BUG: soft lockup - CPU#0 stuck for 22s!\n")) {
            console.restored();
            assertThat(console.crash()).isEmpty();
            byte[] again = "Kernel panic - not syncing: Fatal exception\n".getBytes(StandardCharsets.UTF_8);
            console.write(again, 0, again.length);
            assertThat(console.crash()).contains("Kernel panic - not syncing: Fatal exception");
        }
    }

    @Test
    void noticesTheImagesReadyLine() throws IOException {
        try (SerialConsole booting = console("[ 0.5] Run /init as init process\nlivepatch-testkit: guest");
                SerialConsole ready = console("livepatch-testkit: guest ready\n")) {
            assertThat(booting.readyLineSeen()).isFalse();
            assertThat(ready.readyLineSeen()).isTrue();
        }
    }

    @Test
    void keepsOnlyTheLastLinesInMemory() throws IOException {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            text.append("line ").append(i).append('\n');
        }
        try (SerialConsole console = console(text.toString())) {
            assertThat(console.tail(2)).isEqualTo("line 998\nline 999");
            assertThat(console.tail(5000).lines()).hasSize(400).first().isEqualTo("line 600");
        }
        assertThat(Files.readString(dir.resolve("serial.log"))).isEqualTo(text.toString());
    }

    @Test
    void countsTheLinesOfACrashReport() throws IOException {
        try (SerialConsole quiet = console("one\ntwo\n");
                SerialConsole crashed = console("before\nKernel panic - not syncing: x\nCPU: 0\nCall Trace:\n")) {
            assertThat(quiet.linesSinceCrash()).isZero();
            assertThat(crashed.linesSinceCrash()).isEqualTo(3);
        }
    }
}
