package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.GuestShells;
import dev.livepatch.testkit.ssh.HostKeyMismatchException;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Real guests: Debian's kernel under QEMU, reached over SSH. */
@Tag("qemu")
class GuestIT {
    private static final Duration COMMAND = Duration.ofSeconds(30);

    static Kernel kernel;
    static GuestImage image;

    @BeforeAll
    static void prepare() {
        QemuPrerequisite.require();
        kernel = Kernels.resolve("debian", Cache.standard(), Progress.silent());
        image = GuestImages.standard(Progress.silent()).build("minimal", kernel);
    }

    private static Guest start() {
        return Guests.start(kernel, image, Machine.defaults(), Progress.silent());
    }

    @Test
    void bootsAndRunsCommands() {
        try (Guest guest = start()) {
            assertThat(guest.shell().run("uname -r", COMMAND).stdout().strip()).isEqualTo(kernel.release());
            assertThat(guest.shell().exec("exit 3", COMMAND).exitCode()).isEqualTo(3);
            assertThat(guest.shell().run("ls -d /sys/kernel/livepatch", COMMAND).stdout())
                    .isEqualTo("/sys/kernel/livepatch\n");
            assertThat(guest.sshTarget().host()).isEqualTo("127.0.0.1");
            assertThat(guest.startDuration()).isPositive();
            guest.shell().run("echo '<3>GuestIT: hello, console' > /dev/kmsg", COMMAND);
            Deadline.after(COMMAND)
                    .poll(
                            "the kernel message on the serial console",
                            Duration.ofMillis(20),
                            () -> guest.serialTail(5).contains("GuestIT: hello, console")
                                    ? Optional.of(true)
                                    : Optional.empty(),
                            () -> guest.serialTail(5));
            assertThat(guest.serialLog()).content().contains("GuestIT: hello, console");
            assertThat(guest.crash()).isEmpty();
        }
    }

    @Test
    void laterGuestsStartFromTheBootSnapshot() {
        start().close();
        try (Guest guest = start()) {
            assertThat(guest.startMode()).isEqualTo(StartMode.SNAPSHOT);
            assertThat(guest.shell().run("cat /proc/cmdline", COMMAND).stdout()).contains("panic=-1");
        }
    }

    @Test
    void resetRestoresTheBootState() {
        try (Guest guest = start()) {
            String bootHostname = guest.shell().run("hostname", COMMAND).stdout();
            guest.shell().run("echo written > /root/marker; hostname changed-by-test", COMMAND);
            assertThat(guest.shell().run("cat /root/marker; hostname", COMMAND).stdout())
                    .isEqualTo("written\nchanged-by-test\n");
            guest.reset();
            assertThat(guest.shell().exec("test -e /root/marker", COMMAND).exitCode())
                    .isEqualTo(1);
            assertThat(guest.shell().run("hostname", COMMAND).stdout()).isEqualTo(bootHostname);
            guest.reset();
            assertThat(guest.shell().run("echo again", COMMAND).stdout()).isEqualTo("again\n");
        }
    }

    /**
     * Commands over the session a snapshot keeps come through the guest's SSH port, which the guest joins to its SSH
     * server over loopback; a new SSH connection would come through QEMU's user network (10.0.2.2).
     */
    @Test
    void startAndResetTakeUpTheSessionKeptInTheSnapshotWithoutANewConnection() {
        start().close();
        try (Guest guest = start()) {
            assertThat(guest.shell().run("echo $SSH_CONNECTION", COMMAND).stdout())
                    .startsWith("127.0.0.1 ");
            for (int i = 0; i < 3; i++) {
                guest.shell().run("echo written > /root/marker", COMMAND);
                guest.reset();
                assertThat(guest.shell()
                                .run("echo $SSH_CONNECTION; ls /root", COMMAND)
                                .stdout())
                        .startsWith("127.0.0.1 ")
                        .doesNotContain("marker");
            }
        }
    }

    @Test
    void aResetDuringACommandEndsThatCommandAndTheNextOneRunsOnTheRestoredGuest() throws Exception {
        try (Guest guest = start()) {
            GuestShell before = guest.shell();
            CompletableFuture<ExecResult> running =
                    CompletableFuture.supplyAsync(() -> before.exec("touch /root/started; sleep 20", COMMAND));
            Deadline.after(COMMAND)
                    .poll(
                            "the long command to start",
                            Duration.ofMillis(50),
                            () -> guest.shell()
                                            .exec("test -e /root/started", COMMAND)
                                            .succeeded()
                                    ? Optional.of(true)
                                    : Optional.empty(),
                            () -> "not started");
            guest.reset();

            assertThatThrownBy(() -> running.get(COMMAND.toSeconds(), TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SshException.class);
            assertThat(guest.shell()
                            .run("ls /root; pgrep -f 'sleep 20' || echo none", COMMAND)
                            .stdout())
                    .isEqualTo("none\n");
        }
    }

    @Test
    void resetTurnsTheGuestClockBackToTheSnapshot() throws InterruptedException {
        try (Guest guest = start()) {
            double fresh = uptime(guest);
            Thread.sleep(3000); // real time has to pass while the guest runs: that is what a reset must undo
            assertThat(uptime(guest)).isGreaterThan(fresh + 2.5);
            guest.reset();
            assertThat(uptime(guest)).as("uptime right after a reset").isLessThan(fresh + 1.5);
            assertThat(guest.shell().run("dmesg", COMMAND).stdout()).doesNotContain("rcu_preempt self-detected stall");
        }
    }

    private static double uptime(Guest guest) {
        return Double.parseDouble(
                guest.shell().run("cat /proc/uptime", COMMAND).stdout().split(" ")[0]);
    }

    @Test
    void aPanicIsReportedWithTheSerialConsole() {
        try (Guest guest = start()) {
            assertThatThrownBy(() -> guest.shell().run("echo c > /proc/sysrq-trigger", COMMAND))
                    .isInstanceOf(GuestCrashedException.class)
                    .hasMessageStartingWith("Guest " + guest.id() + " crashed: Kernel panic - not syncing:")
                    .hasMessageContaining("serial console")
                    .hasMessageContaining("sysrq: Trigger a crash")
                    .hasMessageContaining("Call Trace:")
                    .hasMessageContaining("sysrq_handle_crash");
            assertThat(guest.isRunning()).isFalse();
            assertThatThrownBy(guest::shell).isInstanceOf(GuestCrashedException.class);
        }
    }

    @Test
    void aBugOnTheConsoleFailsTheNextCommandUntilTheGuestIsReset() {
        try (Guest guest = start()) {
            GuestShell shell = guest.shell();
            assertThatThrownBy(() -> {
                        shell.run("echo '<2>BUG: injected by GuestIT' > /dev/kmsg", COMMAND);
                        shell.run("sleep 0.5", COMMAND);
                    })
                    .isInstanceOf(GuestCrashedException.class)
                    .hasMessageContaining("crashed: BUG: injected by GuestIT");
            assertThat(guest.crash()).contains("BUG: injected by GuestIT");
            assertThat(guest.shell().run("echo still inspectable", COMMAND).stdout())
                    .isEqualTo("still inspectable\n");
            guest.reset();
            assertThat(guest.crash()).isEmpty();
            assertThat(guest.shell().run("echo fine", COMMAND).stdout()).isEqualTo("fine\n");
        }
    }

    @Test
    void aGuestWithAnotherHostKeyIsRefused() {
        try (Guest guest = start()) {
            SshTarget real = guest.sshTarget();
            String otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl other";
            SshTarget impostor = new SshTarget(real.host(), real.port(), real.user(), real.privateKey(), otherKey);
            assertThatThrownBy(() -> GuestShells.connect(impostor, COMMAND))
                    .isInstanceOf(HostKeyMismatchException.class)
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("host key does not match the pinned key")
                    .hasMessageContaining("offered host key SHA256:")
                    .hasMessageContaining("but the image pins SHA256:");
        }
    }

    @Test
    void twoGuestsRunSideBySideAndLeaveNothingBehind() {
        Guest a = start();
        Guest b = start();
        Path runA = a.serialLog().getParent();
        Path runB = b.serialLog().getParent();
        long pidA = qemuPid(runA);
        long pidB = qemuPid(runB);
        try (a;
                b) {
            assertThat(a.sshTarget().port()).isNotEqualTo(b.sshTarget().port());
            assertThat(runA).isNotEqualTo(runB);
            a.shell().run("echo a > /root/who", COMMAND);
            b.shell().run("echo b > /root/who", COMMAND);
            assertThat(a.shell().run("cat /root/who", COMMAND).stdout()).isEqualTo("a\n");
            assertThat(b.shell().run("cat /root/who", COMMAND).stdout()).isEqualTo("b\n");
            assertThat(Path.of("/proc", Long.toString(pidA))).isDirectory();
            assertThat(Path.of("/proc", Long.toString(pidB), "cmdline"))
                    .content()
                    .contains("qemu-system-x86_64");
        }
        assertThat(Path.of("/proc", Long.toString(pidA))).doesNotExist();
        assertThat(Path.of("/proc", Long.toString(pidB))).doesNotExist();
        assertThat(runA).doesNotExist();
        assertThat(runB).doesNotExist();
        a.close();
        assertThatThrownBy(a::shell).isInstanceOf(GuestException.class).hasMessage("Guest " + a.id() + " is closed");
    }

    /**
     * A guest that stops reading its SSH port (hung, or its bridge stopped) fails the command that was running and
     * those started after it; a reset brings the kept session back.
     */
    @Test
    void aResetBringsBackTheShellOfAGuestThatStoppedReadingItsSshPort() {
        start().close();
        try (Guest guest = start()) {
            GuestShell shell = guest.shell();
            assertThatThrownBy(() -> shell.exec("kill -STOP $(pidof nc); echo stopped", Duration.ofSeconds(3)))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("did not finish within 3 s");
            assertThatThrownBy(() -> shell.exec("echo beside the loop", Duration.ofSeconds(2)))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("Could not start 'echo beside the loop'");
            guest.reset();
            assertThat(guest.shell()
                            .run("echo back; echo $SSH_CONNECTION", COMMAND)
                            .stdout())
                    .startsWith("back\n127.0.0.1 ");
        }
    }

    @Test
    void aSessionDropIsReportedAsSuchAndTheNextShellReconnects() {
        try (Guest guest = start()) {
            GuestShell shell = guest.shell();
            assertThatThrownBy(() -> shell.run("kill -9 $PPID; sleep 5", COMMAND))
                    .isInstanceOf(SshException.class)
                    .isNotInstanceOf(GuestCrashedException.class);
            assertThat(guest.shell().run("echo again", COMMAND).stdout()).isEqualTo("again\n");
        }
    }

    @Test
    void aBootThatRunsOutOfTimeSaysWhatItWaitedForAndShowsTheConsole() {
        String previous = System.getProperty(Settings.BOOT_TIMEOUT.name());
        System.setProperty(Settings.BOOT_TIMEOUT.name(), "1s");
        try {
            assertThatThrownBy(() -> Guests.bootCold(kernel, image, Machine.defaults(), Progress.silent()))
                    .isInstanceOf(GuestBootException.class)
                    .hasMessageContaining("did not come up: Timed out waiting for a working SSH command on 127.0.0.1:")
                    .hasMessageContaining("after 1 s")
                    .hasMessageContaining("--- serial console (last 30 lines) ---")
                    .hasMessageContaining(Settings.BOOT_TIMEOUT.name());
        } finally {
            if (previous == null) {
                System.clearProperty(Settings.BOOT_TIMEOUT.name());
            } else {
                System.setProperty(Settings.BOOT_TIMEOUT.name(), previous);
            }
        }
    }

    /** The QEMU process of the guest whose run folder is {@code runFolder}: its arguments name that folder. */
    private static long qemuPid(Path runFolder) {
        return ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(runFolder.toString()))
                .filter(process -> process.info().command().orElse("").contains("qemu-system"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no QEMU process names " + runFolder))
                .pid();
    }
}
