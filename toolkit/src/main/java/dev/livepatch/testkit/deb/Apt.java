package dev.livepatch.testkit.deb;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.cache.CacheLock;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessFailedException;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.progress.Progress;
import dev.livepatch.testkit.util.Folders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * Finds and downloads binary packages with the host's apt ({@code apt-cache}, {@code apt-get download}):
 * no root needed, nothing installed. Downloads are kept in one folder and never fetched twice.
 */
@API(status = INTERNAL, since = "0.1")
public final class Apt {
    private static final Duration QUERY_TIMEOUT = Duration.ofMinutes(1);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofMinutes(20);
    private static final String LOCK_FILE = ".download.lock";
    private static final String STAGING_PREFIX = ".download-";
    /** The cache's folder of downloaded packages, shared by every apt: a package is fetched once, whoever asks. */
    private static final String DEBS_FOLDER = "debs";

    private final Path debs;
    private final Progress progress;
    private final List<String> options;

    private Apt(Path debsFolder, Progress progress, List<String> options) {
        this.debs = debsFolder;
        this.progress = progress;
        this.options = List.copyOf(options);
    }

    /** The host's apt, as configured, downloading into {@code cache}. */
    public static Apt ofHost(Cache cache, Progress progress) {
        return inCache(cache, progress, List.of());
    }

    /** apt with these options before every command (see {@link SuiteApt}), downloading into {@code cache}. */
    static Apt inCache(Cache cache, Progress progress, List<String> options) {
        return new Apt(cache.root().resolve(DEBS_FOLDER), progress, options);
    }

    private List<String> command(String program, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(program);
        command.addAll(options);
        command.addAll(List.of(arguments));
        return command;
    }

    /** The candidate versions and file names of the given packages, in one {@code apt-cache show}. */
    public Map<String, Candidate> candidates(List<String> packages) {
        List<String> command = command("apt-cache", "show", "--no-all-versions");
        command.addAll(packages);
        ExecResult result = ProcessRunner.create().exec(command, QUERY_TIMEOUT);
        Map<String, Candidate> found = AptOutput.parseShow(result.stdout());
        List<String> missing =
                packages.stream().filter(p -> !found.containsKey(p)).toList();
        if (!missing.isEmpty()) {
            throw new DebException("apt knows no package " + String.join(", ", missing) + " (apt-cache said: "
                    + result.outputTail(3).strip() + "). Run 'apt-get update' as root and retry.");
        }
        return found;
    }

    /** The packages that the given ones depend on, recursively (Depends and Pre-Depends), including themselves. */
    public Set<String> withDependencies(List<String> packages) {
        List<String> command = command(
                "apt-cache",
                "depends",
                "--recurse",
                "--no-recommends",
                "--no-suggests",
                "--no-conflicts",
                "--no-breaks",
                "--no-replaces",
                "--no-enhances");
        command.addAll(packages);
        ExecResult result = run(command);
        Set<String> all = new LinkedHashSet<>(packages);
        all.addAll(AptOutput.parseDependsRecursive(result.stdout()));
        return all;
    }

    /** Whether apt knows the package. */
    public boolean has(String name) {
        ExecResult result =
                ProcessRunner.create().exec(command("apt-cache", "show", "--no-all-versions", name), QUERY_TIMEOUT);
        return AptOutput.parseShow(result.stdout()).containsKey(name);
    }

    /** The packages {@code name} depends on directly (Depends and Pre-Depends). */
    public List<String> dependencies(String name) {
        return AptOutput.parseDirectDepends(
                run(command("apt-cache", "depends", name)).stdout());
    }

    /** The single package that {@code metaPackage} depends on whose name starts with {@code prefix}. */
    public String dependencyOf(String metaPackage, String prefix) {
        ExecResult result = run(command("apt-cache", "depends", metaPackage));
        return AptOutput.parseDirectDepends(result.stdout()).stream()
                .filter(name -> name.startsWith(prefix))
                .findFirst()
                .orElseThrow(() -> new DebException(metaPackage + " depends on no package starting with " + prefix
                        + ": " + result.stdout().strip()));
    }

    /**
     * Downloads the packages not yet in the download folder and returns all of them. Downloads are one at a time
     * across processes: a run that finds another downloading waits, then fetches only what is still missing.
     */
    public List<DebPackage> download(List<String> packages) {
        Map<String, Candidate> candidates = candidates(packages);
        Map<String, DebPackage> result = new LinkedHashMap<>();
        for (String name : packages) {
            Candidate candidate = candidates.get(name);
            result.put(name, new DebPackage(name, candidate.version(), debs.resolve(candidate.fileName())));
        }
        if (missing(result.values()).isEmpty()) {
            return List.copyOf(result.values());
        }
        try (CacheLock lock = CacheLock.acquire(
                debs.resolve(LOCK_FILE),
                "downloading Debian packages into " + debs,
                progress,
                Settings.CACHE_LOCK_TIMEOUT.get())) {
            removeUnfinishedDownloads();
            List<String> missing = missing(result.values());
            if (!missing.isEmpty()) {
                fetch(missing);
            }
        }
        return List.copyOf(result.values());
    }

    private static List<String> missing(Collection<DebPackage> packages) {
        return packages.stream()
                .filter(deb -> !Files.isRegularFile(deb.file()))
                .map(deb -> deb.name() + "=" + deb.version())
                .toList();
    }

    /** Staging folders of interrupted downloads; with the lock held, nobody else is downloading. */
    private void removeUnfinishedDownloads() {
        try (Stream<Path> children = Files.list(debs)) {
            children.filter(child -> child.getFileName().toString().startsWith(STAGING_PREFIX))
                    .forEach(Apt::deleteQuietly);
        } catch (IOException e) {
            throw new DebException("Could not list " + debs, e);
        }
    }

    private void fetch(List<String> packageVersions) {
        try {
            progress.run(
                    "Downloading " + packageVersions.size() + " Debian package(s)",
                    step -> downloadIntoCache(packageVersions));
        } catch (IOException e) {
            throw new DebException("Could not store downloaded packages in " + debs, e);
        }
    }

    private void downloadIntoCache(List<String> packageVersions) throws IOException {
        Files.createDirectories(debs);
        Path staging = Files.createTempDirectory(debs, STAGING_PREFIX);
        try {
            List<String> command = command("apt-get", "download", "-q");
            command.addAll(packageVersions);
            try {
                ProcessRunner.create().inDirectory(staging).run(command, DOWNLOAD_TIMEOUT);
            } catch (ProcessFailedException e) {
                throw new DebException(
                        "apt-get download failed for " + String.join(" ", packageVersions) + ": " + e.getMessage()
                                + "\nCheck the network and apt sources ('apt-get update' as root).",
                        e);
            }
            try (Stream<Path> files = Files.list(staging)) {
                for (Path file : files.toList()) {
                    Files.move(file, debs.resolve(file.getFileName()), StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            deleteQuietly(staging);
        }
    }

    private static ExecResult run(List<String> command) {
        try {
            return ProcessRunner.create().run(command, QUERY_TIMEOUT);
        } catch (ProcessFailedException e) {
            throw new DebException(
                    e.getMessage() + "\napt could not answer; is this a Debian/Ubuntu host with 'apt-get update' done?",
                    e);
        }
    }

    private static void deleteQuietly(Path folder) {
        try {
            Folders.deleteRecursively(folder);
        } catch (IOException ignored) {
            // A leftover ".download-" folder is never read as a package.
        }
    }

    /** A package's candidate version and its {@code .deb} file name as apt-get download writes it. */
    public record Candidate(String name, String version, String fileName) {}
}
