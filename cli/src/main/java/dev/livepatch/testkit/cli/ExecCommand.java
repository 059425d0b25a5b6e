package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.ShellQuoting;
import dev.livepatch.testkit.vm.Guest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "exec", description = "Boot a guest, run one command in it, print its output and exit with its status.")
final class ExecCommand implements Callable<Integer> {
    @Mixin
    GuestOptions guestOptions = new GuestOptions();

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Limit for the command (default: 10m).")
    String timeout;

    @Parameters(
            paramLabel = "COMMAND",
            arity = "1..*",
            description = "The command and its arguments after '--', each kept as one word (as docker exec does);"
                    + " a single argument may be a whole shell command line.")
    List<String> command;

    @Override
    public Integer call() {
        Duration limit = timeout == null ? Duration.ofMinutes(10) : Settings.SSH_TIMEOUT.parse(timeout);
        try (Guest guest = guestOptions.start(Progress.console())) {
            ExecResult result = guest.shell().exec(commandLine(command), limit);
            System.out.print(result.stdout());
            System.err.print(result.stderr());
            System.out.flush();
            return result.exitCode();
        }
    }

    /**
     * The line the guest's shell runs. SSH sends one string, which the shell splits again, so joining the words with
     * spaces would lose their boundaries ({@code sh -c 'echo one two'} would run {@code sh -c echo}): each word is
     * quoted instead. A lone argument is passed as it is, so that a whole command line still works.
     */
    static String commandLine(List<String> words) {
        if (words.size() == 1) {
            return words.get(0);
        }
        return String.join(" ", words.stream().map(ShellQuoting::quote).toList());
    }
}
