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
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestShellTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @TempDir
    Path folder;

    private TestSshServer server;
    private GuestShell shell;

    @BeforeEach
    void connect() throws IOException {
        server = TestSshServer.start(folder);
        shell = GuestShells.connect(server.target(), TIMEOUT);
    }

    @AfterEach
    void disconnect() {
        shell.close();
        server.close();
    }

    @Test
    void execReturnsExitStatusStdoutAndStderr() {
        ExecResult result = shell.exec("echo out; echo err >&2; exit 3", TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.command()).isEqualTo("echo out; echo err >&2; exit 3");
    }

    @Test
    void runReturnsTheResultOfASuccessfulCommand() {
        assertThat(shell.run("printf '%s' \"$((6 * 7))\"", TIMEOUT).stdout()).isEqualTo("42");
    }

    @Test
    void runThrowsOnANonZeroExitWithCommandStatusAndStderr() {
        RemoteCommandException failure = catchThrowableOfType(
                RemoteCommandException.class,
                () -> shell.run("echo loading; echo 'insmod: no such module' >&2; exit 2", TIMEOUT));

        assertThat(failure)
                .hasMessageContaining("exit status 2")
                .hasMessageContaining("echo loading; echo 'insmod: no such module' >&2; exit 2")
                .hasMessageContaining("insmod: no such module");
        assertThat(failure.result().stdout()).isEqualTo("loading\n");
    }

    @Test
    void commandsReadAnEmptyInput() {
        assertThat(shell.run("cat; echo done", TIMEOUT).stdout()).isEqualTo("done\n");
    }

    @Test
    void largeOutputArrivesWhole() {
        ExecResult result = shell.run("head -c 3000000 /dev/zero | tr '\\0' x", TIMEOUT);

        assertThat(result.stdout()).hasSize(3_000_000).containsOnlyOnce("x".repeat(3_000_000));
    }

    @Test
    void commandsRunOneAfterAnotherOnOneSession() {
        for (int i = 0; i < 20; i++) {
            assertThat(shell.run("echo " + i, TIMEOUT).stdout()).isEqualTo(i + "\n");
        }
        assertThat(shell.isConnected()).isTrue();
        assertThat(server.sessionsOpened()).isEqualTo(1);
    }

    @Test
    void aCommandThatOutlivesItsTimeoutIsStoppedAndReportedWithItsOutput() {
        String command = "echo started $$; echo warming up >&2; exec sleep 30";
        SshException failure =
                catchThrowableOfType(SshException.class, () -> shell.exec(command, Duration.ofMillis(700)));

        assertThat(failure)
                .hasMessageStartingWith("Guest command '" + command + "' on 127.0.0.1:"
                        + server.target().port() + " did not finish within 700 ms and was stopped; output so far:")
                .hasMessageContaining("[stdout]\nstarted ")
                .hasMessageContaining("[stderr]\nwarming up");
        Matcher pid = Pattern.compile("started (\\d+)").matcher(failure.getMessage());
        assertThat(pid.find()).isTrue();
        Deadline.after(Duration.ofSeconds(5))
                .poll(
                        "the timed-out command to end",
                        Duration.ofMillis(20),
                        () -> ProcessHandle.of(Long.parseLong(pid.group(1)))
                                        .filter(ProcessHandle::isAlive)
                                        .isPresent()
                                ? Optional.empty()
                                : Optional.of(true),
                        () -> "process " + pid.group(1) + " alive");
        assertThat(shell.run("echo still here", TIMEOUT).stdout()).isEqualTo("still here\n");
    }

    @Test
    void aCommandReadsTheGivenInput() {
        byte[] input = new byte[100_000];
        new Random(3).nextBytes(input);

        ExecResult result = shell.exec("wc -c; exit 4", input, TIMEOUT);

        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.stdout().strip()).isEqualTo("100000");
    }

    @Test
    void uploadWritesTheBytesWithTheMode() throws IOException {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path remote = folder.resolve("guest/module.ko");
        Files.createDirectories(remote.getParent());

        shell.upload(content, remote.toString(), 0640);

        assertThat(remote).hasBinaryContent(content);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(remote)))
                .isEqualTo("rw-r-----");
        assertThat(remote.getParent()).isDirectoryNotContaining("glob:**.partial");
    }

    @Test
    void uploadReplacesAnExistingFile() throws IOException {
        Path remote = folder.resolve("it's here.txt");
        Files.writeString(remote, "an older and longer content");

        shell.upload("new".getBytes(), remote.toString(), 0600);

        assertThat(remote).hasContent("new");
    }

    @Test
    void uploadOfAHostFileKeepsItsExecutableBit() throws IOException {
        Path script = folder.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\necho checked\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path remote = folder.resolve("guest-check.sh");

        shell.upload(script, remote.toString());

        assertThat(shell.run(remote.toString(), TIMEOUT).stdout()).isEqualTo("checked\n");
    }

    @Test
    void uploadCreatesMissingFolders() throws IOException {
        Path remote = folder.resolve("missing/deeper/module.ko");

        shell.upload(new byte[] {1, 2, 3}, remote.toString(), 0644);

        assertThat(Files.readAllBytes(remote)).containsExactly(1, 2, 3);
    }

    @Test
    void uploadBelowAFileFailsAndSaysWhy() throws IOException {
        Files.writeString(folder.resolve("plain"), "not a folder");
        String remote = folder.resolve("plain/module.ko").toString();

        assertThatThrownBy(() -> shell.upload(new byte[] {1, 2, 3}, remote, 0644))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("Could not upload 3 bytes to " + remote + " in the guest at 127.0.0.1:"
                        + server.target().port() + " (exit status 1): ")
                .hasMessageContaining("plain");
        assertThat(folder.resolve("plain")).hasContent("not a folder");
    }

    @Test
    void aServerKilledMidCommandIsADroppedConnection() {
        CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
            try {
                server.awaitStart("sleep 20", TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            server.kill();
        });
        Deadline elapsed = Deadline.after(TIMEOUT);

        assertThatThrownBy(() -> shell.exec("sleep 20", TIMEOUT))
                .isInstanceOf(SshException.class)
                .hasMessageStartingWith("The SSH connection to 127.0.0.1:"
                        + server.target().port() + " dropped while running 'sleep 20'.")
                .hasMessageContaining("check the guest's serial console log");
        killer.join();
        assertThat(elapsed.elapsed()).isLessThan(Duration.ofSeconds(3));
        assertThat(shell.isConnected()).isFalse();
        assertThatThrownBy(() -> shell.exec("true", TIMEOUT)).hasMessageContaining("dropped while running 'true'");
    }
}
