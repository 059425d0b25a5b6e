package dev.livepatch.testkit.stall;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.util.Folders;
import dev.livepatch.testkit.util.ShellQuoting;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A folder that carries a stalled transition to someone else: the explanation, the kernel log and sysfs as they
 * were, the exact modules, and a {@code reproduce} script that runs the same scenario on the same kernel. Written
 * in a temporary sibling and renamed into place, so an interrupted write leaves no half bundle.
 */
@API(status = INTERNAL, since = "0.1")
public final class ReproducerBundle {
    static final String SCRIPT = "reproduce";

    private ReproducerBundle() {}

    public static Path write(Path target, StallReport report, GuestSetup setup) {
        Path folder = target.toAbsolutePath().normalize();
        if (Files.exists(folder)) {
            throw new IllegalArgumentException("The bundle folder " + folder + " exists already; name another one.");
        }
        Path partial = folder.resolveSibling("." + folder.getFileName() + ".partial-"
                + ProcessHandle.current().pid());
        try {
            Files.createDirectories(partial.resolve("modules"));
            StallScenario scenario = report.scenario();
            List<List<String>> arguments = new ArrayList<>();
            arguments.add(List.of("stall"));
            arguments.add(setup.kernelOptions());
            arguments.add(List.of("--image", setup.image()));
            arguments.add(List.of("--cpus", Integer.toString(setup.cpus())));
            arguments.add(List.of("--memory", Integer.toString(setup.memoryMib())));
            arguments.add(List.of("--wait", scenario.limit().toMillis() + "ms"));
            arguments.add(List.of("--then", scenario.ending().name().toLowerCase(Locale.ROOT)));
            for (ModuleLoad fixture : scenario.fixtures()) {
                arguments.add(List.of("--with", copy(fixture, partial)));
            }
            for (String workload : scenario.workloads()) {
                arguments.add(List.of("--workload", workload));
            }
            arguments.add(List.of(copy(scenario.patch(), partial)));
            writeScript(partial.resolve(SCRIPT), arguments);
            Files.writeString(partial.resolve("README.txt"), readme(report, setup), StandardCharsets.UTF_8);
            Files.writeString(
                    partial.resolve("kernel-log.txt"), lines(report.kernelLog().text()), StandardCharsets.UTF_8);
            Files.writeString(partial.resolve("sysfs.txt"), lines(report.sysfs()), StandardCharsets.UTF_8);
            Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
            return folder;
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("The bundle folder " + folder + " appeared while it was written.", e);
        } catch (IOException e) {
            throw new TestkitException("Could not write the reproducer bundle " + folder + ": " + e.getMessage(), e);
        } finally {
            delete(partial);
        }
    }

    /** Copies the module into {@code modules/} and returns its argument: the bundle-relative file and parameters. */
    private static String copy(ModuleLoad load, Path bundle) throws IOException {
        String file = "modules/" + load.module().path().getFileName();
        Files.copy(load.module().path(), bundle.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        return "$here/" + file + (load.parameters().isEmpty() ? "" : ":" + load.parameterText());
    }

    /** One option and its value per line. */
    private static void writeScript(Path script, List<List<String>> arguments) throws IOException {
        StringBuilder text = new StringBuilder()
                .append("#!/bin/sh\n")
                .append("# Runs the stalled transition described in README.txt again, on the same kernel.\n")
                .append("# Run it from a livepatch-testkit checkout, or set TESTKIT to its ./testkit.\n")
                .append("here=$(cd \"$(dirname \"$0\")\" && pwd)\n")
                .append("exec \"${TESTKIT:-./testkit}\"");
        for (List<String> line : arguments) {
            text.append(" \\\n    ")
                    .append(String.join(
                            " ", line.stream().map(ReproducerBundle::quote).toList()));
        }
        text.append(" \\\n    \"$@\"\n");
        Files.writeString(script, text, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** Double quotes keep {@code $here} expanding while protecting spaces; anything else is single-quoted. */
    static String quote(String argument) {
        if (argument.startsWith("$here/") && argument.matches("[$A-Za-z0-9_./:=,+-]+")) {
            return "\"" + argument + "\"";
        }
        return ShellQuoting.quote(argument);
    }

    private static String readme(StallReport report, GuestSetup setup) {
        return StallExplanation.of(report)
                + "\nGuest: " + setup.describe() + "\n"
                + "\nFiles:\n"
                + "  reproduce        runs the same scenario again: ./reproduce (TESTKIT=<path to ./testkit>)\n"
                + "  modules/         the exact modules loaded, fixtures first\n"
                + "  kernel-log.txt   the kernel log from boot to the end of the run\n"
                + "  sysfs.txt        /sys/kernel/livepatch when the wait ran out\n";
    }

    private static String lines(String text) {
        return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }

    private static void delete(Path folder) {
        try {
            Folders.deleteRecursively(folder);
        } catch (IOException e) {
            throw new TestkitException("Could not remove the partial bundle " + folder, e);
        }
    }
}
