package dev.livepatch.testkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.vm.QemuPrerequisite;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest whose QEMU is killed during a test ({@code pkill -9 qemu-system}): that test fails with one line saying the
 * guest died and how, the JUnit XML holds its serial console, and the class's next tests pass on a new guest, said
 * once.
 */
@Tag("qemu")
class KilledGuestIT {
    private static final String SAMPLES = "dev.livepatch.testkit.cli.guestsamples";
    private static final String DIED = "died: QEMU was killed by SIGKILL (signal 9) from outside the toolkit";
    private static final String MARKER = "KilledGuestSample wrote this to the console";

    /** JUnit reports an extension that threw from a TestWatcher here (java.util.logging), not as a failure. */
    private final Logger junitLog = Logger.getLogger("org.junit");

    @TempDir
    Path reports;

    @BeforeAll
    static void requireQemu() {
        QemuPrerequisite.require();
    }

    @Test
    void theTestThatWasRunningFailsInOneLineWithItsConsoleAndTheNextTestsPassOnANewGuest() {
        List<LogRecord> junitWarnings = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                junitWarnings.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        junitLog.addHandler(handler);
        SuiteRunner.Result result;
        try {
            result = new SuiteRunner(new PrintStream(printed, true, StandardCharsets.UTF_8), reports, SAMPLES)
                    .run(List.of(), Shard.ALL);
        } finally {
            junitLog.removeHandler(handler);
        }
        String output = printed.toString(StandardCharsets.UTF_8);

        assertThat(result.summary().getTestsSucceededCount()).as(output).isEqualTo(4);
        assertThat(result.summary().getTestsFailedCount()).as(output).isEqualTo(1);
        assertThat(junitWarnings)
                .extracting(LogRecord::getMessage)
                .noneMatch(message -> message.contains("Failed to invoke TestWatcher"));
        List<String> lines = output.lines().toList();
        int failed = indexOf(lines, "✗ KilledGuestSample on " + Settings.KERNEL.get() + " › a_killsItsGuest(");
        assertThat(lines.get(failed + 1)).as(output).contains(DIED);
        assertThat(lines.stream().filter(line -> line.contains(DIED)))
                .as(output)
                .hasSize(1);
        assertThat(lines.stream()
                        .filter(line -> line.contains(
                                "had stopped (its QEMU process is gone): the next" + " tests run on a new guest")))
                .as(output)
                .hasSize(1);
        assertThat(output).doesNotContain("\tat ");
        assertThat(reports.resolve("TEST-junit-jupiter.xml"))
                .content()
                .contains(DIED)
                .contains("--- serial console (last 30 lines since the guest started from its boot snapshot")
                .contains(MARKER)
                .contains("guest minimal-")
                .contains("livepatch-state: (not read: the guest is no longer running)");
    }

    private static int indexOf(List<String> lines, String start) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).strip().startsWith(start)) {
                return i;
            }
        }
        throw new AssertionError("No line starts with '" + start + "' in:\n" + String.join("\n", lines));
    }
}
