package dev.livepatch.testkit.kbuild;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Runs kbuild on the host with the compiler the kernel names in {@code CONFIG_CC_VERSION_TEXT} (e.g. {@code gcc-12}),
 * refusing a host compiler of another major version. Messages are in the C locale so that they parse the same
 * everywhere.
 */
@API(status = INTERNAL, since = "0.1")
public final class NativeKbuildRunner implements KbuildRunner {
    private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(30);
    /** The kernel's own programs that kbuild runs for an external module. */
    private static final List<String> KBUILD_PROGRAMS =
            List.of("scripts/basic/fixdep", "scripts/mod/modpost", "tools/objtool/objtool");

    private final ProcessRunner processes;
    private final Duration timeout;

    public NativeKbuildRunner(ProcessRunner processes, Duration timeout) {
        this.processes =
                processes.withEnvironment(Map.of("LANG", "C", "LC_ALL", "C", "LC_CTYPE", "C", "LC_MESSAGES", "C"));
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return "native";
    }

    /** The first line of {@code <compiler> --version} on this host; asked once per compiler and JVM. */
    @Override
    public String compilerVersion(Kernel kernel) {
        String program = kernelCompiler(kernel).program();
        return CompilerVersions.firstLine("on this host", program, this::runHere);
    }

    @Override
    public ExecResult runModules(Kernel kernel, Path projectDir, int jobs, OutputStream log) {
        requireSameMajorVersion(kernel);
        return processes
                .inDirectory(projectDir)
                .echoingTo(log)
                .exec(KbuildArch.modulesCommand(kernel, kernel.buildDir(), projectDir, jobs), timeout);
    }

    /**
     * Why this host cannot build modules for the kernel, or empty when it can: the kernel's compiler is here, at
     * its major version, and the kernel's own kbuild programs run on this host's C library.
     */
    public Optional<String> problem(Kernel kernel) {
        try {
            requireSameMajorVersion(kernel);
        } catch (ModuleBuildException e) {
            return Optional.of(e.getMessage());
        }
        for (String tool : KBUILD_PROGRAMS) {
            Path program = kernel.buildDir().resolve(tool);
            if (!Files.isExecutable(program)) {
                continue;
            }
            ExecResult result = processes.exec(List.of(program.toString()), VERSION_TIMEOUT);
            String output = result.stdout() + result.stderr();
            if (output.contains("GLIBC_") || output.contains("error while loading shared libraries")) {
                return Optional.of("the kernel's " + tool + " does not run on this host's C library: "
                        + output.lines().findFirst().orElse("").strip());
            }
        }
        return Optional.empty();
    }

    private void requireSameMajorVersion(Kernel kernel) {
        KernelCompiler wanted = kernelCompiler(kernel);
        String hostVersion = compilerVersion(kernel);
        KernelCompiler host;
        try {
            host = KernelCompiler.parse(hostVersion);
        } catch (ModuleBuildException e) {
            throw new ModuleBuildException(
                    "'" + wanted.program() + " --version' on this host says '" + hostVersion
                            + "', which is not a gcc version line; the kernel " + kernel.release() + " was built with '"
                            + kernel.compiler() + "'. Install that gcc or build in a container (--builder container).",
                    e);
        }
        if (host.major() != wanted.major()) {
            throw new ModuleBuildException("The kernel " + kernel.release() + " was built with gcc " + wanted.major()
                    + " ('" + kernel.compiler() + "'), but this host's " + wanted.program() + " is gcc " + host.major()
                    + " ('" + hostVersion + "'); modules built by another major version may not load or may"
                    + " misbehave. Install gcc-" + wanted.major() + " or build in a container (--builder container).");
        }
    }

    private static KernelCompiler kernelCompiler(Kernel kernel) {
        try {
            return KernelCompiler.parse(kernel.compiler());
        } catch (ModuleBuildException e) {
            throw new ModuleBuildException(
                    "The kernel " + kernel.release() + " was built by '" + kernel.compiler()
                            + "' (CONFIG_CC_VERSION_TEXT), but the native builder drives gcc only; build the kernel with"
                            + " gcc or build its modules by hand.",
                    e);
        }
    }

    /** Runs a compiler's {@code command} on this host, saying how to install the compiler when it is missing. */
    private ExecResult runHere(List<String> command) {
        String program = command.get(0);
        try {
            return processes.exec(command, VERSION_TIMEOUT);
        } catch (ProcessFailedException e) {
            throw new ModuleBuildException(
                    "The kernel's compiler " + program + " is not installed on this host;"
                            + " install it (sudo apt-get install " + HostPrograms.packageOf(program)
                            + ") or build in a container (--builder container).",
                    e);
        }
    }
}
