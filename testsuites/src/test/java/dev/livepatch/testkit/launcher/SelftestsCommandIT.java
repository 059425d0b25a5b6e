package dev.livepatch.testkit.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.kernel.Kernels;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.upstream.KernelSelftestSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./testkit selftests --selftests <tree>} on a copy of the default kernel's own selftests in which one case
 * expects a kernel log line that never comes and another hangs: each is reported as the kernel's scripts would
 * have it, and the scripts after them still run, on a guest reset in between.
 */
@Tag("qemu")
class SelftestsCommandIT {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final String NEVER_LOGGED = "livepatch: a line the kernel never logs";

    @TempDir
    Path folder;

    @Test
    void aWrongExpectationAndAHungCaseFailAloneAndTheRunGoesOn() throws IOException {
        Kernel kernel = Kernels.resolve("debian", Cache.standard(), Progress.silent());
        Path tree = copyOfTheKernelsSelftests(KernelSelftestSources.fetch(kernel, Cache.standard(), Progress.silent()));
        Path scripts = tree.resolve("tools/testing/selftests/livepatch");
        edit(scripts.resolve("test-shadow-vars.sh"), "check_result \"", "check_result \"" + NEVER_LOGGED + "\n");
        edit(scripts.resolve("test-state.sh"), "start_test \"system state modification\"\n", """
                start_test "system state modification"
                sleep 600
                """);
        Path reports = folder.resolve("reports");

        ExecResult run = ProcessRunner.create()
                .inDirectory(folder)
                .withEnvironment(Map.of("LIVEPATCH_SELFTESTS_CASE_TIMEOUT", "20s"))
                .exec(
                        List.of(
                                REPOSITORY.resolve("testkit").toString(),
                                "selftests",
                                "--selftests",
                                tree.toString(),
                                "--reports",
                                reports.toString()),
                        TIMEOUT);

        String output = run.stdout() + run.stderr();
        assertThat(run.exitCode()).as(output).isEqualTo(1);
        assertThat(output).contains("22 tests: 17 passed, 5 failed, 0 skipped");
        List<String> results = Files.readAllLines(reports.resolve("results.json"), StandardCharsets.UTF_8);
        assertThat(line(results, "basic shadow variable API"))
                .contains("\"status\": \"failed\"")
                .contains("test-shadow-vars.sh: --- expected\\n+++ result\\n")
                .contains("-" + NEVER_LOGGED);
        assertThat(line(results, "test-state.sh › system state modification"))
                .contains("\"status\": \"failed\"")
                .contains("Did not finish within 20 s and was ended")
                .contains("The kernel log since the case began:\\n")
                .contains("===== TEST: system state modification =====");
        assertThat(line(results, "taking over system state modification"))
                .contains("Not run: the script stopped at 'system state modification'");
        assertThat(line(results, "livepatch interaction with ftrace_enabled sysctl"))
                .contains("\"status\": \"passed\"");
        assertThat(line(results, "sysfs test object/patched")).contains("\"status\": \"passed\"");
    }

    private Path copyOfTheKernelsSelftests(Path sources) throws IOException {
        Path tree = folder.resolve("linux");
        for (String part : List.of("tools/testing/selftests/livepatch", "lib/livepatch")) {
            Path from = sources.resolve(part);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path file : files.toList()) {
                    Path to = tree.resolve(part).resolve(from.relativize(file).toString());
                    if (Files.isDirectory(file)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(file, to);
                    }
                }
            }
        }
        return tree;
    }

    private static void edit(Path script, String text, String replacement) throws IOException {
        String source = Files.readString(script);
        assertThat(source).as(script.toString()).contains(text);
        int at = source.indexOf(text);
        Files.writeString(script, source.substring(0, at) + replacement + source.substring(at + text.length()));
    }

    private static String line(List<String> results, String name) {
        return results.stream()
                .filter(line -> line.contains(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no result for " + name + " in " + results));
    }
}
