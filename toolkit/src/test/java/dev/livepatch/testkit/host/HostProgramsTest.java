package dev.livepatch.testkit.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.livepatch.testkit.config.Arch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProgramsTest {
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    /** The first word of a command list, in files that start host processes (not suites or container commands). */
    private static final List<Pattern> COMMAND_HEADS = List.of(
            Pattern.compile("\\.(?:run|exec)\\(\\s*List\\.of\\(\\s*\"([^\"]+)\""),
            Pattern.compile("command\\s*=\\s*new ArrayList<>\\(List\\.of\\(\\s*\"([^\"]+)\""),
            Pattern.compile("new ProcessBuilder\\(\\s*\"([^\"]+)\""),
            Pattern.compile("\\bcommand\\(\\s*\"([^\"]+)\""),
            Pattern.compile("Stream\\.of\\(\\s*\"([^\"]+)\"\\)"));

    private static final Pattern STARTS_PROCESSES = Pattern.compile("ProcessRunner|ProcessBuilder");

    /** Program names the code keeps in constants or looks up by name, wherever they are. */
    private static final List<Pattern> PROGRAM_NAMES = List.of(
            Pattern.compile("locate\\(\\s*\"([^\"]+)\"\\)"),
            Pattern.compile("(?:BINARY|QEMU)\\s*=\\s*\"([a-z][a-z0-9_.+-]*)\""),
            Pattern.compile("static final Path \\w+ = Path\\.of\\(\"(/usr/bin/[^\"]+)\"\\)"));

    /** The only classes that start processes; everything else goes through them, and they check the declaration. */
    private static final List<String> PROCESS_STARTERS = List.of("ProcessRunner.java", "QemuProcess.java");

    @Test
    void everyProgramTheCodeStartsIsDeclared() {
        Map<String, String> started = programsStartedBy(
                REPOSITORY.resolve("toolkit/src/main/java"),
                REPOSITORY.resolve("toolkit/src/test/java"),
                REPOSITORY.resolve("cli/src"),
                REPOSITORY.resolve("testsuites/src"));
        // Each architecture's emulator is started by the name its facts give.
        Arch.ALL.forEach(arch -> started.putIfAbsent(arch.qemu().binary(), "Arch.java"));

        assertThat(started).containsKeys("apt-get", "apt-cache", "qemu-system-x86_64", "qemu-img", "make", "docker");
        HostPrograms declared = HostPrograms.declared();
        started.keySet().removeIf(HostPrograms::isOwnFile);
        started.keySet().removeIf(program -> declared.find(program).isPresent());
        assertThat(started)
                .as("programs started (and where) that %s does not declare", HostPrograms.RESOURCE)
                .isEmpty();
    }

    @Test
    void eachArchitectureNamesThePackageItsEmulatorIsDeclaredIn() {
        HostPrograms declared = HostPrograms.declared();

        assertThat(Arch.ALL)
                .allSatisfy(arch -> assertThat(declared.find(arch.qemu().binary())
                                .orElseThrow()
                                .debianPackage())
                        .as("the package of %s", arch.qemu().binary())
                        .isEqualTo(arch.qemu().debianPackage()));
    }

    @Test
    void onlyTheProcessRunnersStartProcessesInTheToolkit() throws IOException {
        try (Stream<Path> files = Stream.concat(
                Files.walk(REPOSITORY.resolve("toolkit/src/main/java")),
                Files.walk(REPOSITORY.resolve("cli/src/main/java")))) {
            List<Path> starters = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> Pattern.compile("new ProcessBuilder\\(|Runtime\\.getRuntime\\(\\)\\.exec|"
                                    + "new CommandLine\\(command|toCommandLine\\(command")
                            .matcher(read(f))
                            .find())
                    .map(Path::getFileName)
                    .toList();
            assertThat(starters).map(Path::toString).containsExactlyInAnyOrderElementsOf(PROCESS_STARTERS);
        }
    }

    @Test
    void theLauncherInstallsFromTheSameDeclaration() {
        String launcher = read(REPOSITORY.resolve("testkit"));

        assertThat(launcher).contains("toolkit/src/main/resources" + HostPrograms.RESOURCE);
        assertThat(launcher).doesNotContain("qemu-system-x86").doesNotContain("openjdk-17");
    }

    @Test
    void theDeclarationParsesAndNamesEachProgramOnce() {
        List<HostProgram> programs = HostPrograms.declared().all();

        assertThat(programs).hasSizeGreaterThan(10);
        assertThat(programs).extracting(HostProgram::program).doesNotHaveDuplicates();
        assertThat(programs)
                .filteredOn(p -> p.program().equals("mmdebstrap"))
                .singleElement()
                .satisfies(p -> {
                    assertThat(p.debianPackage()).isEqualTo("mmdebstrap");
                    assertThat(p.need()).isEqualTo(HostProgram.Need.CONTAINERS);
                });
    }

    @Test
    void aCompilerOfAnyMajorVersionMatchesThePattern() {
        HostPrograms declared = HostPrograms.declared();

        assertThat(declared.find("gcc-14"))
                .hasValueSatisfying(p -> assertThat(p.program()).isEqualTo("gcc-<major>"));
        assertThat(declared.find("gcc-12"))
                .hasValueSatisfying(p -> assertThat(p.program()).isEqualTo("gcc-12"));
        assertThat(declared.find("gcc-x")).isEmpty();
        assertThat(declared.find("/usr/bin/qemu-img")).isPresent();
    }

    @Test
    void startingAnUndeclaredProgramIsRefusedNamingTheDeclaration() {
        assertThatThrownBy(() -> HostPrograms.checkDeclared("lpt-no-such-program"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("The toolkit started 'lpt-no-such-program', which is not declared in "
                        + HostPrograms.RESOURCE
                        + ": add it there with its Debian package, so that the launcher installs it.");
        HostPrograms.checkDeclared("/root/.cache/livepatch-testkit/packages/busybox/bin/busybox");
        HostPrograms.checkDeclared("/usr/src/linux/scripts/basic/fixdep");
        assertThatThrownBy(() -> HostPrograms.checkDeclared("/usr/bin/lpt-no-such-program"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aProgramThatCouldNotStartIsAnsweredWithItsPackage() {
        assertThat(HostPrograms.howToInstall("qemu-img"))
                .isEqualTo("install it with 'sudo apt-get install qemu-utils' (needed: creates the state drive that"
                        + " holds boot snapshots)");
        assertThat(HostPrograms.howToInstall("/opt/lpt/tool")).isEqualTo("is it installed and on PATH?");
        assertThat(HostPrograms.packageOf("x86_64-linux-gnu-gcc-16")).isEqualTo("gcc-16");
        assertThat(HostPrograms.packageOf("gcc-14")).isEqualTo("gcc-14");
        assertThat(HostPrograms.packageOf("qemu-io")).isEqualTo("qemu-utils");
    }

    @Test
    void missingProgramsAndTheOneCommandThatInstallsThem(@TempDir Path bin) throws IOException {
        Path make = Files.createFile(bin.resolve("make"));
        make.toFile().setExecutable(true);
        String tsv = "# comment\n"
                + "make\tmake\talways\tkbuild\n"
                + "qemu-img\tqemu-utils\talways\tsnapshots\n"
                + "qemu-io\tqemu-utils\talways\tio_uring probe\n"
                + "mmdebstrap\tmmdebstrap\tcontainers\ttoolchain images\n"
                + "gcc-<major>\tgcc-<major>\toptional\tother kernels\n";
        HostPrograms programs =
                HostPrograms.parse(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)), bin.toString());

        List<HostProgram> missing = programs.missingForMainJob();

        assertThat(missing).extracting(HostProgram::program).containsExactly("qemu-img", "qemu-io");
        assertThat(HostPrograms.installCommand(missing))
                .isEqualTo("sudo apt-get update && sudo apt-get install -y --no-install-recommends qemu-utils");
        assertThat(programs.missing(EnumSet.allOf(HostProgram.Need.class)))
                .extracting(HostProgram::program)
                .containsExactly("qemu-img", "qemu-io", "mmdebstrap");
    }

    @Test
    void looksTheDeclaredProgramsUpOnTheSearchPathItIsGiven(@TempDir Path bin) throws IOException {
        Path mmdebstrap = Files.createFile(bin.resolve("mmdebstrap"));
        mmdebstrap.toFile().setExecutable(true);
        HostPrograms programs = HostPrograms.declared();
        HostProgram declared = programs.find("mmdebstrap").orElseThrow();

        assertThat(programs.onSearchPath("/nonexistent:" + bin).locate(declared))
                .contains(mmdebstrap);
        assertThat(programs.onSearchPath("").locate(declared)).isEmpty();
        assertThat(programs.onSearchPath(bin.toString()).all()).isEqualTo(programs.all());
    }

    @Test
    void aMalformedLineIsRefusedWithItsNumber() {
        String tsv = "make\tmake\talways\tkbuild\nqemu-img qemu-utils always snapshots\n";

        assertThatThrownBy(() -> HostPrograms.parse(new ByteArrayInputStream(tsv.getBytes(StandardCharsets.UTF_8)), ""))
                .hasMessageContaining("line 2: expected 4 tab-separated fields");
        String badNeed = "make\tmake\tsometimes\tkbuild\n";
        assertThatThrownBy(() ->
                        HostPrograms.parse(new ByteArrayInputStream(badNeed.getBytes(StandardCharsets.UTF_8)), ""))
                .hasMessageContaining("line 1: unknown need 'sometimes'");
    }

    private static Map<String, String> programsStartedBy(Path... roots) {
        Map<String, String> started = new TreeMap<>();
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                files.filter(f -> f.toString().endsWith(".java")).forEach(file -> {
                    String source = read(file);
                    List<Pattern> patterns = new ArrayList<>(PROGRAM_NAMES);
                    if (STARTS_PROCESSES.matcher(source).find()) {
                        patterns.addAll(COMMAND_HEADS);
                    }
                    for (Pattern pattern : patterns) {
                        Matcher matcher = pattern.matcher(source);
                        while (matcher.find()) {
                            started.putIfAbsent(
                                    matcher.group(1), file.getFileName().toString());
                        }
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return started;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
