package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.SshTarget;
import dev.livepatch.testkit.vm.Guest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "boot", description = "Boot a guest, print how to reach it, and keep it until Ctrl-C.")
final class BootCommand implements Callable<Integer> {
    @Mixin
    GuestOptions guestOptions = new GuestOptions();

    @Override
    public Integer call() throws InterruptedException, IOException {
        CountDownLatch stopped = new CountDownLatch(1);
        try (Guest guest = guestOptions.start(Progress.console())) {
            SshTarget target = guest.sshTarget();
            System.out.println("Guest " + guest.id() + " is up: " + guest);
            Path knownHosts = guest.serialLog().resolveSibling("known_hosts");
            Files.writeString(knownHosts, "[" + target.host() + "]:" + target.port() + " " + target.hostKey() + "\n");
            System.out.println("  ssh -i " + target.privateKey() + " -p " + target.port() + " -o UserKnownHostsFile="
                    + knownHosts + " -o StrictHostKeyChecking=yes " + target.user() + "@" + target.host());
            System.out.println("  host key (pinned): " + target.hostKey());
            System.out.println("  serial log: " + guest.serialLog());
            System.out.println("Press Ctrl-C to stop it.");
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                guest.close();
                                System.out.println("Guest " + guest.id()
                                        + " stopped (SIGTERM or Ctrl-C): QEMU has exited, its run folder is removed.");
                                stopped.countDown();
                            },
                            "lpt-boot-stop"));
            boolean signalled = false;
            while (!signalled && guest.isRunning() && guest.crash().isEmpty()) {
                signalled = stopped.await(1, TimeUnit.SECONDS);
            }
            if (guest.crash().isPresent()) {
                System.err.println(
                        "Guest " + guest.id() + " crashed: " + guest.crash().get() + "\n" + guest.serialSection(40));
                return 1;
            }
            if (!signalled) {
                System.err.println("Guest " + guest.id() + " stopped: its QEMU process ended on its own.\n"
                        + guest.serialSection(20));
                return 1;
            }
            return 0;
        }
    }
}
