package dev.livepatch.testkit.upstream;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import dev.livepatch.testkit.builder.GuestProgramCompiler;
import dev.livepatch.testkit.builder.ModuleBuilders;
import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.patch.BuiltModule;
import dev.livepatch.testkit.patch.PatchKind;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.ssh.GuestShell;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * The kernel's own livepatch selftests of one kernel, ready to run as the kernel ships them: its scripts, its test
 * modules built with the kernel's toolchain (through the module builder, cached by content), and its user-space
 * helpers, installed in a guest where the scripts look for them.
 *
 * <p>Before Linux 6.5 the scripts load modules by name ({@code modprobe test_klp_livepatch}): they go to
 * {@code /lib/modules/<release>/extra}, indexed by kmod's {@code depmod}. Later scripts {@code insmod} them from
 * {@code test_modules/} next to the scripts.
 */
@API(status = INTERNAL, since = "0.1")
public final class KernelSelftests {
    /** Where the scripts run in the guest; also the scripts' {@code KDIR}, which they only check exists. */
    static final String REMOTE_DIR = "/root/selftests";

    private static final String SCRIPTS = "tools/testing/selftests/livepatch";
    private static final String MODULES_BESIDE_SCRIPTS = SCRIPTS + "/test_modules";
    private static final String MODULES_IN_LIB = "lib/livepatch";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern INCLUDED_SOURCE = Pattern.compile("#include\\s+\"(\\w+)\\.c\"");
    private static final Pattern SIBLING_SOURCE = Pattern.compile("#include \"\\.\\./(\\w+)/\\w+\\.c\"");
    private static final Pattern TEST_PROGS = Pattern.compile("(?m)^TEST_PROGS\\s*:?=((?:[^\\n]*\\\\\\n)*[^\\n]*)");

    private final Kernel kernel;
    private final Path scripts;
    private final boolean modulesBesideScripts;
    private final List<Path> modules;
    private final List<Path> helpers;

    private KernelSelftests(
            Kernel kernel, Path scripts, boolean modulesBesideScripts, List<Path> modules, List<Path> helpers) {
        this.kernel = kernel;
        this.scripts = scripts;
        this.modulesBesideScripts = modulesBesideScripts;
        this.modules = modules;
        this.helpers = helpers;
    }

    /**
     * Takes the selftests from the source tree that {@link Settings#SELFTESTS_SOURCE} names, else from Debian's source
     * of the kernel, and builds their test modules and helpers (each cached by content).
     */
    public static KernelSelftests prepare(Kernel kernel, Cache cache, Progress progress) {
        Path sources = Settings.SELFTESTS_SOURCE
                .raw()
                .map(tree -> sourceTree(Path.of(tree)))
                .orElseGet(() -> KernelSelftestSources.fetch(kernel, cache, progress));
        boolean besideScripts = Files.isDirectory(sources.resolve(MODULES_BESIDE_SCRIPTS));
        Path moduleSources = sources.resolve(besideScripts ? MODULES_BESIDE_SCRIPTS : MODULES_IN_LIB);
        if (!Files.isDirectory(moduleSources)) {
            throw new TestkitException("The livepatch selftests in " + sources + " have no test modules: neither "
                    + MODULES_BESIDE_SCRIPTS + " nor " + MODULES_IN_LIB + " exists. If the kernel's source has them,"
                    + " the cache entry is damaged: delete " + sources + " and run again.");
        }
        String origin = sources.getFileName().toString();
        List<Path> modules = buildModules(kernel, moduleSources, origin, cache, progress);
        List<Path> helpers = buildHelpers(
                sources.resolve(SCRIPTS), origin, new GuestProgramCompiler(kernel, progress), cache, progress);
        return new KernelSelftests(kernel, sources.resolve(SCRIPTS), besideScripts, modules, helpers);
    }

    /** The scripts in the order of the selftests' Makefile ({@code TEST_PROGS}). */
    public List<KernelSelftestScript> scripts() {
        String makefile = read(scripts.resolve("Makefile"));
        Matcher programs = TEST_PROGS.matcher(makefile);
        if (!programs.find()) {
            throw new TestkitException("The livepatch selftests' Makefile " + scripts.resolve("Makefile")
                    + " names no TEST_PROGS; it is not a kernel selftest folder.");
        }
        return Stream.of(programs.group(1).replace("\\\n", " ").trim().split("\\s+"))
                .map(name -> KernelSelftestScript.parse(name, read(scripts.resolve(name)), REMOTE_DIR))
                .toList();
    }

    /** Puts the scripts, the modules and the helpers where the scripts expect them. */
    public void install(GuestShell shell) {
        String moduleDir =
                modulesBesideScripts ? REMOTE_DIR + "/test_modules" : "/lib/modules/" + kernel.release() + "/extra";
        shell.run("mkdir -p " + REMOTE_DIR + " " + moduleDir, INSTALL_TIMEOUT);
        for (Path file : list(scripts, "")) {
            if (Files.isRegularFile(file)) {
                shell.upload(file, REMOTE_DIR + "/" + file.getFileName());
            }
        }
        for (Path helper : helpers) {
            shell.upload(helper, REMOTE_DIR + "/" + helper.getFileName());
        }
        for (Path module : modules) {
            shell.upload(module, moduleDir + "/" + module.getFileName());
        }
        if (!modulesBesideScripts) {
            // kmod's depmod by path: busybox's shell would run its own, whose output kmod's modprobe cannot read.
            shell.run("/sbin/depmod -a", INSTALL_TIMEOUT);
        }
    }

    /**
     * The kernel's test modules, each staged as a patch folder of its own and built like the project's patches: by
     * the module builder, with the kernel's compiler, cached by content.
     */
    private static List<Path> buildModules(Kernel kernel, Path sources, String origin, Cache cache, Progress progress) {
        List<Path> files = list(sources, ".c");
        Path staged = cache.computeIfAbsent("upstream-modules", contentKey(origin, files), dir -> {
            for (Path source : files) {
                String name = source.getFileName().toString().replace(".c", "");
                // test_klp_state3.c includes test_klp_state2.c: from its sibling folder, as the project's
                // patches do.
                String code = INCLUDED_SOURCE.matcher(Files.readString(source)).replaceAll("#include \"../$1/$1.c\"");
                Files.writeString(Files.createDirectories(dir.resolve(name)).resolve(name + ".c"), code);
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

    /**
     * The selftests' user-space helpers ({@code test_klp-call_getpid.c} from Linux 6.6), linked statically so that
     * they run on any guest's C library.
     */
    private static List<Path> buildHelpers(
            Path scripts, String origin, GuestProgramCompiler compiler, Cache cache, Progress progress) {
        List<Path> sources = list(scripts, ".c");
        if (sources.isEmpty()) {
            return List.of();
        }
        String key = contentKey(origin, sources) + compiler.target();
        Path built = cache.computeIfAbsent("selftest-helpers", key, "the selftests' helper programs", dir -> {
            for (Path source : sources) {
                String name = source.getFileName().toString().replace(".c", "");
                progress.run(
                        "Compiling the selftests' helper " + name, step -> compiler.compile(source, dir.resolve(name)));
            }
        });
        return list(built, "");
    }

    private static Path sourceTree(Path tree) {
        if (!Files.isRegularFile(tree.resolve(SCRIPTS).resolve("Makefile"))) {
            throw new TestkitException("livepatch.selftests.source is " + tree.toAbsolutePath() + ", which has no "
                    + SCRIPTS + "/Makefile. Name the top folder of a Linux source tree (the one holding"
                    + " tools/ and kernel/), or unset it to use Debian's source of the kernel.");
        }
        return tree.toAbsolutePath().normalize();
    }

    /** A cache key that changes with the files' names and contents: a source tree is edited in place. */
    private static String contentKey(String origin, List<Path> files) {
        try {
            Sha256 hash = new Sha256();
            for (Path file : files) {
                hash.add(file.getFileName().toString()).add((byte) 0).add(file);
            }
            return origin + "-" + hash.prefix(16);
        } catch (IOException e) {
            throw new TestkitException("Could not read the selftest sources " + files, e);
        }
    }

    private static String source(Path folder, String name) {
        return read(folder.resolve(name).resolve(name + ".c"));
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new TestkitException("Could not list " + dir, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TestkitException("Could not read " + file, e);
        }
    }
}
