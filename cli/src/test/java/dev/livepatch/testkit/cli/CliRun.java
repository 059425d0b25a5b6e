package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import picocli.CommandLine;

/**
 * One {@code ./testkit} command run in this JVM, with what it printed.
 *
 * @param exitCode the command's exit status
 * @param output what it printed on standard output
 * @param errors what it printed on standard error
 */
record CliRun(int exitCode, String output, String errors) {

    static CliRun of(String... arguments) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        try (PrintStream capturedOut = new PrintStream(output, true, StandardCharsets.UTF_8);
                PrintStream capturedErr = new PrintStream(errors, true, StandardCharsets.UTF_8)) {
            System.setOut(capturedOut);
            System.setErr(capturedErr);
            CommandLine commandLine = Main.commandLine();
            commandLine.setErr(new PrintWriter(capturedErr, true));
            int exitCode = commandLine.execute(arguments);
            return new CliRun(
                    exitCode, output.toString(StandardCharsets.UTF_8), errors.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /** Stands in for {@code ./testkit} in {@code folder}: the same CLI, from this test's classpath, on the same project. */
    static Path launcher(Path folder) throws IOException {
        Path script = folder.resolve("testkit");
        Files.writeString(
                script,
                "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                        + System.getProperty("java.class.path") + "' -D" + Settings.PROJECT_DIR.name() + "='"
                        + Settings.PROJECT_DIR.get() + "' " + Main.class.getName() + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }
}
