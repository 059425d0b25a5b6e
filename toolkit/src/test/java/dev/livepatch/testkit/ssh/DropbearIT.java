package dev.livepatch.testkit.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.livepatch.testkit.lifecycle.Deadline;
import dev.livepatch.testkit.process.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The keys and the shell against Debian's real dropbear, the SSH server inside every guest image. */
class DropbearIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    static Path folder;

    private static Path installation;
    private static SshKeys.HostKey hostKey;
    private static Dropbear dropbear;

    @BeforeAll
    static void startDropbear() throws IOException {
        installation = Dropbear.install();
        hostKey = SshKeys.generateHostKey("guest");
        dropbear = Dropbear.startWithFreshKeys(folder, hostKey);
    }

    @AfterAll
    static void stopDropbear() throws InterruptedException {
        if (dropbear != null) {
            dropbear.close();
        }
    }

    @Test
    void dropbearkeyReadsTheGeneratedHostKeyFile() throws IOException {
        SshKeys.HostKey key = SshKeys.generateHostKey("guest");
        Path file = Files.write(folder.resolve("host_key"), key.dropbearKeyFile());

        ExecResult shown = Dropbear.dropbearkey(installation, "-y", "-f", file.toString());

        String blob = key.publicKey().split(" ")[1];
        assertThat(shown.stdout()).contains("ssh-ed25519 " + blob + " ");
        assertThat(shown.stdout()).contains("Fingerprint: " + SshKeys.fingerprint(key.publicKey()));
    }

    @Test
    void dropbearServesThePinnedHostKeyAndRunsCommands() {
        try (GuestShell shell = GuestShells.connect(dropbear.target(), TIMEOUT)) {
            ExecResult result = shell.exec("echo out; echo err >&2; exit 4", TIMEOUT);

            assertThat(result.exitCode()).isEqualTo(4);
            assertThat(result.stdout()).isEqualTo("out\n");
            assertThat(result.stderr()).isEqualTo("err\n");
            assertThat(shell.run("echo $HOME", TIMEOUT).stdout()).isEqualTo(folder.resolve("server/home") + "\n");
        }
    }

    @Test
    void uploadsWorkWithoutAnSftpServer() throws IOException {
        byte[] content = new byte[1_500_000];
        new Random(11).nextBytes(content);
        Path remote = folder.resolve("server/home/lpt_module.ko");
        try (GuestShell shell = GuestShells.connect(dropbear.target(), TIMEOUT)) {
            shell.upload(content, remote.toString(), 0600);
        }

        assertThat(remote).hasBinaryContent(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)))
                .isEqualTo("rw-------");
    }

    @Test
    void commandsThatEndBeforeTheirInputIsSentStillReportTheirResult() {
        // A command may exit, and the server close its channel, before the client has started sending its input.
        byte[] input = "unread\n".getBytes();
        try (GuestShell shell = GuestShells.connect(dropbear.target(), TIMEOUT)) {
            for (int i = 0; i < 150; i++) {
                assertThat(shell.exec("exit 3", TIMEOUT).exitCode()).isEqualTo(3);
                assertThat(shell.exec("echo $((" + i + " + 1))", input, TIMEOUT).stdout())
                        .isEqualTo((i + 1) + "\n");
            }
        }
    }

    @Test
    void aTimedOutCommandIsKilled() {
        try (GuestShell shell = GuestShells.connect(dropbear.target(), TIMEOUT)) {
            SshException failure = catchThrowableOfType(
                    SshException.class, () -> shell.exec("echo pid $$; exec sleep 30", Duration.ofMillis(500)));
            assertThat(failure).hasMessageContaining("did not finish within 500 ms and was stopped");
            Matcher pid = Pattern.compile("pid (\\d+)").matcher(failure.getMessage());
            assertThat(pid.find()).isTrue();

            String check = "kill -0 " + pid.group(1) + " 2>/dev/null && echo alive || echo gone";
            Deadline.after(Duration.ofSeconds(5))
                    .poll(
                            "the timed-out command to be killed",
                            Duration.ofMillis(20),
                            () -> java.util.Optional.of(
                                            shell.run(check, TIMEOUT).stdout())
                                    .filter("gone\n"::equals),
                            () -> "process " + pid.group(1) + " still alive");
        }
    }

    @Test
    void aServerProcessKilledMidCommandIsADroppedConnection() {
        try (GuestShell shell = GuestShells.connect(dropbear.target(), TIMEOUT)) {
            assertThatThrownBy(() -> shell.exec("kill -9 $PPID; sleep 5", TIMEOUT))
                    .isInstanceOf(SshException.class)
                    .hasMessageStartingWith("The SSH connection to 127.0.0.1:"
                            + dropbear.target().port() + " dropped while running 'kill -9 $PPID; sleep 5'.");
            assertThat(shell.isConnected()).isFalse();
        }
    }

    @Test
    void anotherPinnedKeyIsRefused() {
        SshTarget real = dropbear.target();
        String otherKey = SshKeys.generateHostKey("other").publicKey();
        SshTarget pinnedToOther = new SshTarget(real.host(), real.port(), real.user(), real.privateKey(), otherKey);

        assertThatThrownBy(() -> GuestShells.connect(pinnedToOther, TIMEOUT))
                .isInstanceOf(HostKeyMismatchException.class)
                .hasMessageContaining("offered host key " + SshKeys.fingerprint(hostKey.publicKey()))
                .hasMessageContaining("but the image pins " + SshKeys.fingerprint(otherKey));
    }

    @Test
    void oneShellRunsEveryCommandOverOneConnection() {
        // Dropbear forks one process per connection, and each command's shell is its child.
        Set<String> connections = new HashSet<>();
        try (GuestShell shell = GuestShells.connect(dropbear.target(), TIMEOUT)) {
            for (int i = 0; i < 20; i++) {
                connections.add(shell.run("echo $PPID", TIMEOUT).stdout());
            }
        }
        assertThat(connections).hasSize(1);
        try (GuestShell another = GuestShells.connect(dropbear.target(), TIMEOUT)) {
            assertThat(another.run("echo $PPID", TIMEOUT).stdout()).isNotIn(connections);
        }
    }
}
