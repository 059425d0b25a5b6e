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
 * A guest whose QEMU is killed during a run ({@code pkill -9 qemu-system}): each remaining test fails with one line
 * saying the guest died and how, and the JUnit XML holds the serial console.
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
    void eachRemainingTestSaysTheGuestDiedInOneLineAndTheXmlHoldsTheSerialConsole() {
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

        assertThat(result.summary().getTestsSucceededCount()).as(output).isEqualTo(1);
        assertThat(result.summary().getTestsFailedCount()).as(output).isEqualTo(3);
        assertThat(junitWarnings)
                .extracting(LogRecord::getMessage)
                .noneMatch(message -> message.contains("Failed to invoke TestWatcher"));
        List<String> lines = output.lines().toList();
        for (String test : List.of("b_usesTheLivepatchApi", "c_usesTheShell", "d_usesTheGuest")) {
            int failed = indexOf(lines, "✗ KilledGuestSample on " + Settings.KERNEL.get() + " › " + test + "(");
            assertThat(lines.get(failed + 1)).as(output).contains(DIED);
        }
        assertThat(lines.stream().filter(line -> line.contains(DIED)))
                .as(output)
                .hasSize(3)
                .last()
                .asString()
                .endsWith("(the rest as above)");
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
