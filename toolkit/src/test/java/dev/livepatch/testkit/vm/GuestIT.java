package dev.livepatch.testkit.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.image.GuestImages;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.ssh.GuestShells;
import dev.livepatch.testkit.ssh.SshException;
import dev.livepatch.testkit.ssh.SshTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    @Test
    void bootsAndRunsCommands() {
        try (Guest guest = Guests.start(kernel, image, Machine.defaults(), Progress.silent())) {
            assertThat(guest.shell().run("uname -r", COMMAND).stdout().strip()).isEqualTo(kernel.release());
            assertThat(guest.shell().exec("exit 3", COMMAND).exitCode()).isEqualTo(3);
            assertThat(guest.shell()
                            .run(
                                    "cat /sys/kernel/livepatch/../livepatch >/dev/null 2>&1; ls -d /sys/kernel/livepatch",
                                    COMMAND)
                            .stdout())
                    .contains("/sys/kernel/livepatch");
            assertThat(guest.sshTarget().host()).isEqualTo("127.0.0.1");
        }
    }

    @Test
    void resetRestoresTheBootState() {
        try (Guest guest = Guests.start(kernel, image, Machine.defaults(), Progress.silent())) {
            guest.shell().run("echo written > /root/marker", COMMAND);
            assertThat(guest.shell().exec("test -e /root/marker", COMMAND).exitCode())
                    .isZero();
            guest.reset();
            assertThat(guest.shell().exec("test -e /root/marker", COMMAND).exitCode())
                    .isEqualTo(1);
        }
    }

    @Test
    void aPanicIsReportedWithTheSerialConsole() {
        try (Guest guest = Guests.start(kernel, image, Machine.defaults(), Progress.silent())) {
            assertThatThrownBy(() -> guest.shell().run("echo c > /proc/sysrq-trigger", COMMAND))
                    .isInstanceOf(GuestCrashedException.class)
                    .hasMessageContaining("crashed: Kernel panic - not syncing")
                    .hasMessageContaining("serial console")
                    .hasMessageContaining("sysrq");
            assertThat(guest.isRunning()).isFalse();
        }
    }

    @Test
    void aGuestWithAnotherHostKeyIsRefused() {
        try (Guest guest = Guests.start(kernel, image, Machine.defaults(), Progress.silent())) {
            SshTarget real = guest.sshTarget();
            String otherKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl other";
            SshTarget impostor = new SshTarget(real.host(), real.port(), real.user(), real.privateKey(), otherKey);
            assertThatThrownBy(() -> GuestShells.connect(impostor, COMMAND))
                    .isInstanceOf(SshException.class)
                    .hasMessageContaining("offered host key SHA256:")
                    .hasMessageContaining("but the image pins SHA256:");
        }
    }

    @Test
    void twoGuestsRunSideBySideAndLeaveNothingBehind() throws Exception {
        Path runDirA;
        long qemuBefore = QemuPrerequisite.qemuProcesses();
        try (Guest a = Guests.start(kernel, image, Machine.defaults(), Progress.silent());
                Guest b = Guests.start(kernel, image, Machine.defaults(), Progress.silent())) {
            assertThat(a.sshTarget().port()).isNotEqualTo(b.sshTarget().port());
            a.shell().run("echo a > /root/who", COMMAND);
            b.shell().run("echo b > /root/who", COMMAND);
            assertThat(a.shell().run("cat /root/who", COMMAND).stdout()).isEqualTo("a\n");
            assertThat(b.shell().run("cat /root/who", COMMAND).stdout()).isEqualTo("b\n");
            runDirA = a.serialLog().getParent();
            assertThat(QemuPrerequisite.qemuProcesses()).isEqualTo(qemuBefore + 2);
        }
        assertThat(QemuPrerequisite.qemuProcesses()).isEqualTo(qemuBefore);
        assertThat(Files.exists(runDirA)).isFalse();
    }

    @Test
    void aSessionDropIsReportedAsSuch() {
        try (Guest guest = Guests.start(kernel, image, Machine.defaults(), Progress.silent())) {
            GuestShell shell = guest.shell();
            assertThatThrownBy(() -> shell.run("kill -9 $PPID; sleep 5", COMMAND))
                    .isInstanceOf(SshException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("dropped", "exit status -1"));
            assertThat(guest.shell().run("echo again", COMMAND).stdout()).isEqualTo("again\n");
        }
    }
}
