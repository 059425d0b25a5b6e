package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.container.ContainerBackend;
import dev.livepatch.testkit.host.HostProgram;
import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.vm.Guests;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/** Says what this host has and lacks for each job, and how to fix what blocks the main job. */
@Command(
        name = "doctor",
        description = "Show what is installed and missing, the accelerator, the Docker engine and toolchain images,"
                + " and the cache; exit 1, with the command that fixes it, when the main job cannot run.")
final class DoctorCommand implements Callable<Integer> {
    static final int CANNOT_RUN = 1;

    private final PrintStream out = System.out;

    @Override
    public Integer call() {
        HostPrograms programs = HostPrograms.declared();
        out.println("Host programs (" + HostPrograms.RESOURCE + "):");
        for (HostProgram.Need need : HostProgram.Need.values()) {
            printPrograms(programs, need);
        }
        List<HostProgram> missing = programs.missingForMainJob();
        boolean qemu = missing.stream().noneMatch(p -> p.program().startsWith("qemu-system"));
        out.println();
        out.println("Accelerator: "
                + (qemu ? Guests.describeAccelerator() : "unknown: QEMU is not installed, so KVM cannot be probed"));
        printContainerBackend(programs);
        printCache();
        out.println();
        if (!missing.isEmpty()) {
            out.println("The main job (./testkit run) cannot run: "
                    + String.join(
                            ", ", missing.stream().map(HostProgram::program).toList())
                    + (missing.size() == 1 ? " is" : " are") + " missing. Fix it with:");
            out.println("  " + HostPrograms.installCommand(missing));
            out.println("(./testkit run installs them itself when run as root.)");
            return CANNOT_RUN;
        }
        out.println("The main job (./testkit run) can run.");
        return 0;
    }

    private void printPrograms(HostPrograms programs, HostProgram.Need need) {
        out.println("  " + need.name().toLowerCase(Locale.ROOT) + ":");
        for (HostProgram program : programs.all()) {
            if (program.need() != need) {
                continue;
            }
            Optional<Path> where = programs.locate(program);
            String mark = program.program().contains("<") ? "·" : where.isPresent() ? "✓" : "✗";
            String state = program.program().contains("<")
                    ? "as the kernel needs"
                    : where.map(path -> path.toString().equals(program.program()) ? "present" : path.toString())
                            .orElse("missing: install " + program.debianPackage());
            out.println("    " + mark + " " + program.program() + "  " + state + " — " + program.usedFor());
        }
    }

    private void printContainerBackend(HostPrograms programs) {
        Optional<String> engineProblem = ContainerBackend.engineProblem();
        if (engineProblem.isPresent()) {
            out.println("Docker engine: does not answer (" + engineProblem.get() + ")");
            out.println("Module builder (--builder auto): native, as no engine answers");
            return;
        }
        List<String> images = ContainerBackend.toolchainImages();
        out.println("Docker engine: answers");
        out.println("Toolchain images: " + (images.isEmpty() ? "none yet" : String.join(", ", images)));
        Optional<String> missingTool = ContainerBackend.missingBootstrapTool();
        if (images.isEmpty() && missingTool.isPresent()) {
            out.println("Module builder (--builder auto): native, as no toolchain image exists and building one needs "
                    + missingTool.get() + " (sudo apt-get install " + missingTool.get() + ")");
        } else {
            out.println("Module builder (--builder auto): a container, when the kernel's toolchain image exists or"
                    + " can be built; native otherwise");
        }
    }

    private void printCache() {
        Path root = Settings.CACHE_DIR.get();
        out.println("Cache: " + root + (Files.isDirectory(root) ? "" : " (empty)"));
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> areas = Files.list(root)) {
            for (Path area : areas.filter(Files::isDirectory).sorted().toList()) {
                out.printf("  %-18s %s%n", area.getFileName() + "/", megabytes(size(area)));
            }
        } catch (IOException e) {
            throw new TestkitException("Could not list the cache " + root, e);
        }
        out.println("  (./testkit cache clean empties it)");
    }

    private static long size(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(DoctorCommand::sizeOf)
                    .sum();
        } catch (IOException e) {
            throw new TestkitException("Could not measure " + folder, e);
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // removed while walking: another run is cleaning up
        }
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%,.1f MB", bytes / 1e6);
    }
}
