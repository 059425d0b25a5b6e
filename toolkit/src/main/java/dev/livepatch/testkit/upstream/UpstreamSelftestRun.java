package dev.livepatch.testkit.upstream;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.image.GuestImage;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.vm.Guest;
import dev.livepatch.testkit.vm.Guests;
import dev.livepatch.testkit.vm.Machine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    private UpstreamSelftestRun() {}

    public static List<Script> run(Kernel kernel, GuestImage selftestImage, Machine machine, Progress progress) {
        Cache cache = Cache.standard();
        Path sources = UpstreamSelftests.fetch(kernel, cache, progress);
        if (!Files.isDirectory(sources.resolve("lib/livepatch"))) {
            throw new IllegalStateException("The kernel's own livepatch selftests for " + kernel.release() + " keep"
                    + " their test modules in tools/testing/selftests/livepatch/test_modules (Linux 6.5 and later),"
                    + " which this runner does not build: it runs the 6.1 layout (lib/livepatch) only. The toolkit's"
                    + " own selftest suite runs on every kernel: ./testkit test --kernel " + "debian:"
                    + kernel.release() + " selftests");
        }
        Path modules = buildModules(kernel, sources, cache, progress);
        Path scripts = sources.resolve("tools/testing/selftests/livepatch");
        try (Guest guest = Guests.start(kernel, selftestImage, machine, progress)) {
            GuestShell shell = guest.shell();
            String extra = "/lib/modules/" + kernel.release() + "/extra";
            shell.run("mkdir -p " + extra + " " + REMOTE_DIR, Duration.ofSeconds(30));
            for (Path file : list(modules, ".ko")) {
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

    private static Path buildModules(Kernel kernel, Path sources, Cache cache, Progress progress) {
        return cache.computeIfAbsent("upstream-modules", kernel.release() + "-" + sources.getFileName(), dir -> {
            progress.run("Building the kernel's livepatch test modules", step -> {
                List<String> objects = new ArrayList<>();
                for (Path source : list(sources.resolve("lib/livepatch"), ".c")) {
                    Files.copy(source, dir.resolve(source.getFileName()));
                    objects.add(source.getFileName().toString().replace(".c", ".o"));
                }
                Files.writeString(dir.resolve("Kbuild"), "obj-m += " + String.join(" ", objects) + "\n");
                ProcessRunner.create()
                        .run(
                                List.of(
                                        "make",
                                        "-C",
                                        kernel.buildDir().toString(),
                                        "M=" + dir,
                                        "-j" + Runtime.getRuntime().availableProcessors(),
                                        "modules"),
                                Duration.ofMinutes(10));
            });
        });
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> Files.isRegularFile(f) && f.toString().endsWith(suffix))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
