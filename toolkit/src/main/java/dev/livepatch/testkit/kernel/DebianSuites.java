package dev.livepatch.testkit.kernel;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.deb.SuiteApt;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where Debian kernels come from: this host's apt (its own release), and the suites the toolkit reaches through its
 * own apt state in the cache.
 */
final class DebianSuites {
    /** The suites, oldest first: a kernel or source that several offer is taken from the first. */
    static final List<String> SUITES = List.of("bookworm", "bookworm-backports", "trixie", "sid", "experimental");

    static final String USAGE = "Use debian (this host's release), debian:<suite> (" + String.join(", ", SUITES)
            + ") or debian:<abi> (e.g. 6.1.0-56-amd64, 7.2.13+deb14-amd64 or 7.3-amd64); './testkit kernel --list'"
            + " shows each suite's current kernel.";
    private static final Path HOST_LISTS = Path.of("/var/lib/apt/lists");

    /** A kernel ABI and the apt that offers it. */
    record Located(Apt apt, String release, String where) {}

    private final Cache cache;
    private final Progress progress;

    DebianSuites(Cache cache, Progress progress) {
        this.cache = cache;
        this.progress = progress;
    }

    Apt host() {
        return Apt.ofHost(cache, progress);
    }

    Apt suite(String name) {
        return suiteApt(name).apt(cache, progress);
    }

    /** The apt that offers kernel {@code abi}: this host's first, then each suite in turn. */
    Located findAbi(String abi) {
        String headers = "linux-headers-" + abi;
        Apt host = host();
        if (host.has(headers)) {
            return new Located(host, abi, "this host's apt");
        }
        for (String suite : SUITES) {
            Apt apt = suite(suite);
            if (apt.has(headers)) {
                return new Located(apt, abi, suite);
            }
        }
        throw new KernelException("No Debian suite offers kernel " + abi + " (looked in this host's apt and in "
                + String.join(", ", SUITES) + "). " + USAGE);
    }

    /**
     * Debian's {@code linux-source-<major.minor>} for a kernel: this host's apt and each suite are asked in turn;
     * the first whose version is the kernel's package version wins, else the first that has the series at all.
     */
    Kernels.SourcePackage findSource(Kernel kernel) {
        String series = kernel.release().replaceAll("^(\\d+\\.\\d+).*", "$1");
        String name = "linux-source-" + series;
        String kernelVersion = kernel.origin() instanceof KernelOrigin.DebianPackage packaged ? packaged.version() : "";
        List<Kernels.SourcePackage> offered = new ArrayList<>();
        List<String> places = new ArrayList<>();
        places.add(null);
        places.addAll(SUITES);
        for (String place : places) {
            Apt apt = place == null ? host() : suite(place);
            if (apt.has(name)) {
                String version = apt.candidates(List.of(name)).get(name).version();
                Kernels.SourcePackage found =
                        new Kernels.SourcePackage(apt, name, version, place == null ? "this host's apt" : place);
                if (version.equals(kernelVersion)) {
                    return found;
                }
                offered.add(found);
            }
        }
        if (offered.isEmpty()) {
            throw new KernelException("No Debian suite offers " + name + ", the source of kernel " + kernel.release()
                    + " (looked in this host's apt and in " + String.join(", ", SUITES) + ").");
        }
        return offered.get(0);
    }

    /**
     * Debian's {@code linux-source-<major.minor>} of a suite's current kernel ({@code linux-image-amd64}'s series), from
     * that suite's apt.
     */
    Kernels.SourcePackage suiteSource(String suite) {
        if (!SUITES.contains(suite)) {
            throw new KernelException("Unknown Debian suite '" + suite + "' for a kernel source tree. Use one of "
                    + String.join(", ", SUITES) + " (source:debian:sid), or the path of a kernel tree.");
        }
        Apt apt = suite(suite);
        String release = apt.dependencyOf("linux-image-amd64", "linux-image-").substring("linux-image-".length());
        String name = "linux-source-" + release.replaceAll("^(\\d+\\.\\d+).*", "$1");
        if (!apt.has(name)) {
            throw new KernelException(
                    "Debian " + suite + " offers no " + name + ", the source of its kernel " + release);
        }
        return new Kernels.SourcePackage(
                apt, name, apt.candidates(List.of(name)).get(name).version(), suite);
    }

    /**
     * What a resolution of {@code what} was read from: the package lists' modification times; {@code "stale"} when a
     * suite's lists are missing or old, so that it is resolved again.
     */
    String listsStamp(String what) {
        List<String> parts = new ArrayList<>();
        parts.add(hostListsStamp());
        if (what != null && SUITES.contains(what)) {
            // A suite's current kernel moves on: once its lists are stale, it is looked up (and they fetched) again.
            Optional<String> stamp = suiteApt(what).freshStamp();
            if (stamp.isEmpty()) {
                return "stale";
            }
            parts.add(stamp.get());
        } else if (what != null) {
            // An ABI names one kernel for good: its resolution holds until a list it may have come from changes.
            SUITES.forEach(suite -> parts.add(suiteApt(suite).stamp().orElse("none")));
        }
        return String.join("-", parts);
    }

    private SuiteApt suiteApt(String name) {
        return SuiteApt.of(name, cache.root().resolve("apt"));
    }

    private static String hostListsStamp() {
        try {
            return Long.toString(Files.getLastModifiedTime(HOST_LISTS).toMillis());
        } catch (IOException e) {
            return "none";
        }
    }
}
