package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class QemuExitTest {
    private static final long THIS_JVM = ProcessHandle.current().pid();

    @Test
    void ctrlCAtTheTerminalIsAStopWithoutASender() {
        QemuExit exit = new QemuExit(0, "qemu-system-x86_64: terminating on signal 2");

        assertThat(exit.stopSignal()).contains("Ctrl-C (SIGINT)");
        assertThat(exit.stoppedByThisJvm()).isFalse();
    }

    @Test
    void aSignalFromAnotherProcessNamesItsSender() {
        QemuExit exit = new QemuExit(0, "qemu-system-x86_64: terminating on signal 15 from pid 4242 (pkill)");

        assertThat(exit.stopSignal()).contains("SIGTERM (signal 15) from pid 4242 (pkill)");
    }

    @Test
    void aStopThisJvmSentIsNoOutsideStop() {
        QemuExit exit =
                new QemuExit(0, "qemu-system-x86_64: terminating on signal 15 from pid " + THIS_JVM + " (java)");

        assertThat(exit.stopSignal()).isEmpty();
        assertThat(exit.stoppedByThisJvm()).isTrue();
    }

    @Test
    void aStopSignalBeforeQemuHandlesItKillsItAndStillCountsAsAStop() {
        assertThat(new QemuExit(130, "").stopSignal()).contains("SIGINT (signal 2)");
        assertThat(new QemuExit(143, "").stopSignal()).contains("SIGTERM (signal 15)");
    }

    @Test
    void sigkillIsADeathFromOutsideWithWhereToLook() {
        QemuExit exit = new QemuExit(137, "");

        assertThat(exit.stopSignal()).isEmpty();
        assertThat(exit.describe())
                .startsWith("QEMU was killed by SIGKILL (signal 9) from outside the toolkit")
                .contains("OOM killer");
    }

    @Test
    void aFailingQemuIsQuoted() {
        QemuExit exit = new QemuExit(1, "qemu-system-x86_64: -drive file=x: Could not open 'x'\n");

        assertThat(exit.stopSignal()).isEmpty();
        assertThat(exit.describe())
                .isEqualTo("QEMU exited with status 1: qemu-system-x86_64: -drive file=x: Could not open 'x'");
    }

    @Test
    void statusZeroWithoutASignalIsTheGuestGoingAway() {
        assertThat(new QemuExit(0, "").describe()).contains("the guest powered off or rebooted");
    }
}
