package dev.livepatch.testkit.kbuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The host-compiler checks, against this host's real gcc. */
class NativeKbuildRunnerTest {
    private final NativeKbuildRunner runner = new NativeKbuildRunner(ProcessRunner.create(), Duration.ofMinutes(1));

    @Test
    void asksTheKernelsCompilerForItsVersion() {
        assumeInstalled("gcc");

        assertThat(runner.compilerVersion(kernel("gcc (Debian 12.2.0-14+deb12u1) 12.2.0")))
                .matches("gcc \\(.*\\) \\d+\\.\\d+.*");
    }

    @Test
    void refusesAHostCompilerOfAnotherMajorVersionNamingBoth() {
        assumeInstalled("gcc");
        String host = runner.compilerVersion(kernel("gcc (Debian 12.2.0-14+deb12u1) 12.2.0"));
        int hostMajor = KernelCompiler.parse(host).major();
        String kernelCompiler = "gcc (Example " + (hostMajor + 1) + ".1.0-1) " + (hostMajor + 1) + ".1.0";

        assertThatThrownBy(() -> runner.runModules(
                        kernel(kernelCompiler), Path.of("/nonexistent"), 1, OutputStream.nullOutputStream()))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The kernel 6.1.0-56-amd64 was built with gcc " + (hostMajor + 1) + " ('" + kernelCompiler
                        + "'), but this host's gcc is gcc " + hostMajor + " ('" + host + "'); modules built by another"
                        + " major version may not load or may misbehave. Install gcc-" + (hostMajor + 1)
                        + " or build in a container (--builder container).");
    }

    @Test
    void saysHowToGetAMissingCompiler() {
        assertThatThrownBy(() -> runner.compilerVersion(kernel("gcc-99 (Example 99.1.0-1) 99.1.0")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage(
                        "The kernel's compiler gcc-99 is not installed on this host; install it (sudo apt-get install"
                                + " gcc-99) or build in a container (--builder container).");
    }

    @Test
    void refusesAKernelNotBuiltByGcc() {
        assertThatThrownBy(() -> runner.compilerVersion(kernel("Debian clang version 14.0.6")))
                .isInstanceOf(ModuleBuildException.class)
                .hasMessage("The kernel 6.1.0-56-amd64 was built by 'Debian clang version 14.0.6'"
                        + " (CONFIG_CC_VERSION_TEXT), but the native builder drives gcc only; build the kernel with"
                        + " gcc or build its modules by hand.");
    }

    private static Kernel kernel(String compiler) {
        return new Kernel("6.1.0-56-amd64", null, null, null, Path.of("/nonexistent"), compiler, "test");
    }

    private static void assumeInstalled(String program) {
        assumeTrue(
                Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program))),
                program + " is not installed");
    }
}
