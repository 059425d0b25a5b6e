package dev.livepatch.testkit.kbuild;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * What each compiler says its version is, asked once per JVM for each place it runs (this host, or a toolchain
 * image): every module's cache key holds it, and each question costs a process or a container.
 */
@API(status = INTERNAL, since = "0.3")
public final class CompilerVersions {
    private static final Map<Asked, String> ANSWERS = new ConcurrentHashMap<>();

    private record Asked(String place, String program) {}

    private CompilerVersions() {}

    /**
     * The first line of {@code <program> --version}, run by {@code run} the first time only.
     *
     * @param place where {@code run} runs it, for messages: {@code on this host}, {@code in the toolchain image ...}
     * @param run runs a command there and returns its result whatever the exit status
     */
    public static String firstLine(String place, String program, Function<List<String>, ExecResult> run) {
        return ANSWERS.computeIfAbsent(
                new Asked(place, program), asked -> firstLine(asked, run.apply(List.of(program, "--version"))));
    }

    private static String firstLine(Asked asked, ExecResult result) {
        if (!result.succeeded() || result.stdout().isBlank()) {
            throw new ModuleBuildException("'" + asked.program() + " --version' failed " + asked.place()
                    + " (exit status " + result.exitCode() + "):\n" + result.outputTail(10));
        }
        return result.stdout().lines().findFirst().orElseThrow().strip();
    }
}
