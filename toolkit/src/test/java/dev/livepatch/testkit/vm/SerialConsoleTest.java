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
}
