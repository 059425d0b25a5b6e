package dev.livepatch.testkit.container;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.deb.DebException;
import dev.livepatch.testkit.deb.DebianArchive;
import dev.livepatch.testkit.host.HostPrograms;
import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Bootstraps a Debian root filesystem holding a recipe's packages into a tar file, with mmdebstrap.
 * When the host runs the same Debian release, its own apt sources are used (so a local mirror or
 * proxy keeps working); another release comes from the same Debian archive as the host's.
 */
@API(status = INTERNAL, since = "0.1")
public final class DebianRootfs {
    private static final String VALID_UNTIL = "Acquire::Check-Valid-Until";
    private static final String HTTP_PROXY = "Acquire::http::Proxy";
    private static final String HTTPS_PROXY = "Acquire::https::Proxy";

    private final ProcessRunner processes;
    private final Duration timeout;
    private final Path etc;
    private final HostPrograms programs;

    /**
     * @param etc the host's {@code /etc}, for {@code os-release} and the apt sources
     * @param programs where the bootstrap tool is looked up
     */
    public DebianRootfs(ProcessRunner processes, Duration timeout, Path etc, HostPrograms programs) {
        this.processes = processes;
        this.timeout = timeout;
        this.etc = etc;
        this.programs = programs;
    }

    static DebianRootfs onThisHost(Duration timeout) {
        return new DebianRootfs(ProcessRunner.create(), timeout, Path.of("/etc"), HostPrograms.declared());
    }

    /** Writes the root filesystem to {@code tar}, which must not exist yet. */
    void bootstrap(ToolchainRecipe recipe, Path tar) {
        Path mmdebstrap = locate("mmdebstrap");
        List<String> command = new ArrayList<>(List.of(mmdebstrap.toString(), "--variant=apt"));
        hostAcquireOptions().forEach(option -> command.add("--aptopt=" + option));
        command.addAll(
                List.of("--include=" + String.join(",", recipe.packages()), recipe.debianRelease(), tar.toString()));
        command.addAll(sourcesFor(recipe.debianRelease()));
        try {
            processes.run(command, timeout);
        } catch (ProcessFailedException e) {
            throw new ModuleBuildException(
                    "Could not bootstrap " + recipe.describe() + " for the toolchain image: " + e.getMessage(), e);
        }
    }

    /**
     * The host's apt settings for reaching the archive (a proxy; no expiry check of an archive snapshot's Release
     * files), which mmdebstrap's own apt would not read: the bootstrap reaches the archive as the host's apt does.
     */
    List<String> hostAcquireOptions() {
        ExecResult result;
        try {
            result = processes.exec(
                    List.of("apt-config", "shell", "V", VALID_UNTIL, "H", HTTP_PROXY, "S", HTTPS_PROXY),
                    Duration.ofSeconds(30));
        } catch (ProcessFailedException e) {
            return List.of();
        }
        if (!result.succeeded()) {
            return List.of();
        }
        Map<String, String> names = Map.of("V", VALID_UNTIL, "H", HTTP_PROXY, "S", HTTPS_PROXY);
        List<String> options = new ArrayList<>();
        for (String line : result.stdout().lines().toList()) {
            Matcher setting = Pattern.compile("^([VHS])='(.*)'$").matcher(line.strip());
            if (setting.matches()) {
                options.add(names.get(setting.group(1)) + " \"" + setting.group(2) + "\"");
            }
        }
        return options;
    }

    /**
     * mmdebstrap's mirror arguments for {@code release}: the host's apt source files for its own release, else a
     * sources line for the host's Debian archive; empty (mmdebstrap's default) when the host names none.
     */
    List<String> sourcesFor(String release) {
        if (!hostRelease().filter(release::equals).isPresent()) {
            try {
                return List.of("deb " + DebianArchive.ofHost(etc).uri() + " " + release + " main");
            } catch (DebException e) {
                return List.of();
            }
        }
        Pattern word = Pattern.compile("(?m)^[^#]*\\b" + Pattern.quote(release) + "\\b");
        return Stream.of(etc.resolve("apt/sources.list"), etc.resolve("apt/sources.list.d/debian.sources"))
                .filter(Files::isRegularFile)
                .filter(file -> word.matcher(read(file)).find())
                .map(Path::toString)
                .toList();
    }

    private Optional<String> hostRelease() {
        Path osRelease = etc.resolve("os-release");
        if (!Files.isRegularFile(osRelease)) {
            return Optional.empty();
        }
        return read(osRelease)
                .lines()
                .filter(line -> line.startsWith("VERSION_CODENAME="))
                .map(line -> line.substring("VERSION_CODENAME=".length())
                        .replace("\"", "")
                        .trim())
                .findFirst();
    }

    /** The bootstrap tool when it is missing from this host, or empty when it is there. */
    Optional<String> missingTool() {
        return find("mmdebstrap").isPresent() ? Optional.empty() : Optional.of("mmdebstrap");
    }

    private Optional<Path> find(String program) {
        return programs.find(program).flatMap(programs::locate);
    }

    private Path locate(String program) {
        return find(program)
                .orElseThrow(() -> new ModuleBuildException("Building the toolchain image needs " + program
                        + ", which is not installed: install it with 'sudo apt-get install " + program
                        + "', or use the native builder"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read " + file, e);
        }
    }
}
