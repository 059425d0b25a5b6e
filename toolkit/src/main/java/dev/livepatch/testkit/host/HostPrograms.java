package dev.livepatch.testkit.host;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.TestkitException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * The host programs the toolkit may start, declared once in {@code host-programs.tsv} (which the launcher reads
 * too). The toolkit refuses to start a program that is not declared, so the list cannot fall behind the code.
 */
@API(status = INTERNAL, since = "0.1")
public final class HostPrograms {
    /** The declaration, as a classpath resource; the launcher reads the same file from the source tree. */
    public static final String RESOURCE = "/dev/livepatch/testkit/host/host-programs.tsv";

    private static final HostPrograms DECLARED = load();

    /** Where installed programs live; anything elsewhere (a kernel tree's kbuild programs, a cached busybox) is not. */
    private static final Set<String> SYSTEM_PROGRAM_FOLDERS =
            Set.of("/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin");

    private final List<HostProgram> programs;
    private final String searchPath;

    HostPrograms(List<HostProgram> programs, String searchPath) {
        this.programs = List.copyOf(programs);
        this.searchPath = searchPath;
    }

    /** The declared programs, looked up on this process's {@code PATH}. */
    public static HostPrograms declared() {
        return DECLARED;
    }

    /** The same declarations, looked up on {@code searchPath} (a value of {@code PATH}) instead. */
    public HostPrograms onSearchPath(String searchPath) {
        return new HostPrograms(programs, searchPath);
    }

    public List<HostProgram> all() {
        return programs;
    }

    /** The declaration of {@code command} (a name or an absolute path), if there is one. */
    public Optional<HostProgram> find(String command) {
        String name = Path.of(command).getFileName().toString();
        return programs.stream()
                .filter(p -> p.matches(command) || (!p.isFile() && p.matches(name)))
                .findFirst();
    }

    /**
     * Checks that {@code command} (the first word of a command line) is declared; files the toolkit unpacked itself
     * (an absolute path outside the host's system folders) are its own business.
     *
     * @throws IllegalStateException naming the program and the declaration to extend
     */
    public static void checkDeclared(String command) {
        if (isOwnFile(command) || DECLARED.find(command).isPresent()) {
            return;
        }
        throw new IllegalStateException("The toolkit started '" + command + "', which is not declared in " + RESOURCE
                + ": add it there with its Debian package, so that the launcher installs it.");
    }

    static boolean isOwnFile(String command) {
        if (!command.startsWith("/")) {
            return false;
        }
        Path parent = Path.of(command).getParent();
        return !SYSTEM_PROGRAM_FOLDERS.contains(parent == null ? "/" : parent.toString());
    }

    /** The Debian package that provides {@code command}, or the command's own name when none is declared. */
    public static String packageOf(String command) {
        String name = Path.of(command).getFileName().toString();
        return DECLARED.find(command).map(p -> p.packageFor(name)).orElse(name);
    }

    /** What to do when {@code command} could not be started: install its declared package, or check the path. */
    public static String howToInstall(String command) {
        String name = Path.of(command).getFileName().toString();
        return DECLARED.find(command)
                .map(p -> "install it with 'sudo apt-get install " + p.packageFor(name) + "' (needed: " + p.usedFor()
                        + ")")
                .orElse("is it installed and on PATH?");
    }

    /** Where the program is on this host, if it is there. */
    public Optional<Path> locate(HostProgram program) {
        return program.locate(searchPath);
    }

    /** The programs of these needs that this host lacks. */
    public List<HostProgram> missing(Set<HostProgram.Need> needs) {
        return programs.stream()
                .filter(p -> needs.contains(p.need()) && !p.isPattern())
                .filter(p -> locate(p).isEmpty())
                .toList();
    }

    /** The programs the main job needs that this host lacks. */
    public List<HostProgram> missingForMainJob() {
        return missing(EnumSet.of(HostProgram.Need.ALWAYS));
    }

    /** The one command that installs these programs' packages. */
    public static String installCommand(Collection<HostProgram> programs) {
        Set<String> packages = new TreeSet<>();
        programs.forEach(p -> packages.add(p.debianPackage()));
        return "sudo apt-get update && sudo apt-get install -y --no-install-recommends " + String.join(" ", packages);
    }

    static HostPrograms parse(InputStream in, String searchPath) throws IOException {
        List<HostProgram> programs = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\t", -1);
            if (fields.length != 4 || List.of(fields).stream().anyMatch(String::isBlank)) {
                throw new IllegalStateException(RESOURCE + " line " + number
                        + ": expected 4 tab-separated fields (program, package, need, used for): " + line);
            }
            HostProgram.Need need;
            try {
                need = HostProgram.Need.valueOf(fields[2].toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        RESOURCE + " line " + number + ": unknown need '" + fields[2]
                                + "'; use always, containers, tests, emulators or optional",
                        e);
            }
            programs.add(new HostProgram(fields[0], fields[1], need, fields[3]));
        }
        return new HostPrograms(programs, searchPath);
    }

    private static HostPrograms load() {
        try (InputStream in = HostPrograms.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the toolkit's classpath");
            }
            return parse(in, Optional.ofNullable(System.getenv("PATH")).orElse(""));
        } catch (IOException e) {
            throw new TestkitException("Could not read " + RESOURCE, e);
        }
    }
}
