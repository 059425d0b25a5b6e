package dev.livepatch.testkit.upstream;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Runs the kernel's own livepatch selftest scripts in a guest, as upstream runs them: test modules installed
 * under {@code /lib/modules/<release>/extra} and loaded by name. Used to compare against the toolkit's suites.
 */
@API(status = INTERNAL, since = "0.1")
public final class UpstreamSelftestRun {
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(10);
    private static final String REMOTE_DIR = "/root/selftests";

    /** One script's outcome: its {@code ok}/{@code not ok} lines and how long it took. */
    public record Script(String name, Duration duration, int exitCode, List<String> results) {
        public long passed() {
            return results.stream().filter(r -> r.endsWith(" ok")).count();
        }
    }

    private static final Pattern INCLUDED_SOURCE = Pattern.compile("#include\\s+\"(\\w+)\\.c\"");
    private static final Pattern SIBLING_SOURCE = Pattern.compile("#include \"\\.\\./(\\w+)/\\w+\\.c\"");

    private UpstreamSelftestRun() {}

    public static List<Script> run(Kernel kernel, GuestImage selftestImage, Machine machine, Progress progress) {
        Cache cache = Cache.standard();
        Path sources = UpstreamSelftests.fetch(kernel, cache, progress);
        if (!Files.isDirectory(sources.resolve("lib/livepatch"))) {
            throw new TestkitException("The kernel's own livepatch selftests for " + kernel.release() + " keep"
                    + " their test modules in tools/testing/selftests/livepatch/test_modules (Linux 6.5 and later),"
                    + " which this runner does not build: it runs the 6.1 layout (lib/livepatch) only. The toolkit's"
                    + " own selftest suite runs on every kernel: ./testkit test --kernel " + "debian:"
                    + kernel.release() + " selftests");
        }
        List<Path> modules = buildModules(kernel, sources, cache, progress);
        Path scripts = sources.resolve("tools/testing/selftests/livepatch");
        try (Guest guest = Guests.start(kernel, selftestImage, machine, progress)) {
            GuestShell shell = guest.shell();
            String extra = "/lib/modules/" + kernel.release() + "/extra";
            shell.run("mkdir -p " + extra + " " + REMOTE_DIR, Duration.ofSeconds(30));
            for (Path file : modules) {
                shell.upload(file, extra + "/" + file.getFileName());
            }
            // kmod's depmod by path: busybox's shell would run its own, whose output kmod's modprobe cannot read.
            shell.run("/sbin/depmod -a", Duration.ofMinutes(1));
            List<Path> testScripts = new ArrayList<>();
            for (Path file : list(scripts, "")) {
                shell.upload(readBytes(file), REMOTE_DIR + "/" + file.getFileName(), 0755);
                if (file.getFileName().toString().startsWith("test-")) {
                    testScripts.add(file);
                }
            }
            List<Script> results = new ArrayList<>();
            for (Path script : testScripts) {
                String name = script.getFileName().toString();
                progress.run("Upstream " + name, step -> {
                    ExecResult result = shell.exec("cd " + REMOTE_DIR + " && ./" + name + " 2>&1", SCRIPT_TIMEOUT);
                    List<String> lines = result.stdout()
                            .lines()
                            .filter(l -> l.startsWith("TEST: "))
                            .map(String::strip)
                            .toList();
                    results.add(new Script(name, result.duration(), result.exitCode(), lines));
                });
            }
            return results;
        }
    }

    /**
     * The kernel's test modules ({@code lib/livepatch/test_klp_*.c}), each staged as a patch folder of its own and
     * built like the project's patches: by the module builder, with the kernel's compiler, cached by content.
     */
    private static List<Path> buildModules(Kernel kernel, Path sources, Cache cache, Progress progress) {
        Path staged =
                cache.computeIfAbsent("upstream-modules", sources.getFileName().toString(), dir -> {
                    for (Path source : list(sources.resolve("lib/livepatch"), ".c")) {
                        String name = source.getFileName().toString().replace(".c", "");
                        // test_klp_state3.c includes test_klp_state2.c: from its sibling folder, as the project's
                        // patches do.
                        String code = INCLUDED_SOURCE
                                .matcher(Files.readString(source))
                                .replaceAll("#include \"../$1/$1.c\"");
                        Files.writeString(
                                Files.createDirectories(dir.resolve(name)).resolve(name + ".c"), code);
                    }
                });
        List<PatchSource> patches = new ArrayList<>();
        for (Path folder : list(staged, "")) {
            String name = folder.getFileName().toString();
            String code = source(staged, name);
            List<String> includes = SIBLING_SOURCE
                    .matcher(code)
                    .results()
                    .map(match -> match.group(1))
                    .toList();
            boolean livepatch = Stream.concat(
                            Stream.of(code), includes.stream().map(sibling -> source(staged, sibling)))
                    .anyMatch(text -> text.contains("klp_enable_patch"));
            PatchKind kind = livepatch ? PatchKind.LIVEPATCH : PatchKind.FIXTURE;
            patches.add(new PatchSource(name, kind, "the kernel's selftest module " + name, folder, includes));
        }
        return ModuleBuilders.standard(progress).build(kernel, patches).stream()
                .map(BuiltModule::ko)
                .toList();
    }

    private static String source(Path folder, String name) {
        return new String(readBytes(folder.resolve(name).resolve(name + ".c")), StandardCharsets.UTF_8);
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new TestkitException("Could not list " + dir, e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TestkitException("Could not read " + file, e);
        }
    }
}
