package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.TestkitException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./testkit} command line; every command takes {@code -h/--help} and {@code -V/--version}. */
@Command(
        name = "testkit",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = ManifestVersion.class,
        description = "Build livepatch modules, boot a QEMU guest, and test what livepatches really do.",
        subcommands = {
            RunCommand.class,
            BuildCommand.class,
            BootCommand.class,
            ExecCommand.class,
            StallCommand.class,
            CheckCommand.class,
            TestCommand.class,
            SelftestsCommand.class,
            ReportCommand.class,
            BenchCommand.class,
            KernelCommand.class,
            ImageCommand.class,
            CacheCommand.class,
            DoctorCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Main());
        // The last of a repeated option wins, so a reproducer script's options can be overridden after it.
        commandLine.setOverwrittenOptionsAllowed(true);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            line.getErr().println(line.getColorScheme().errorText("error: " + messageOf(exception)));
            return line.getCommandSpec().exitCodeOnExecutionException();
        });
        return commandLine;
    }

    /**
     * The toolkit's own errors say what happened and what to do; any other keeps its type, as a bare message such as
     * a file system error's path says neither.
     */
    static String messageOf(Throwable exception) {
        if (exception instanceof TestkitException && exception.getMessage() != null) {
            return exception.getMessage();
        }
        return exception.getMessage() == null
                ? exception.getClass().getSimpleName()
                : exception.getClass().getSimpleName() + ": " + exception.getMessage();
    }
}
