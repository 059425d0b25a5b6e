package dev.livepatch.testkit.kernel;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.deb.DebArchive;
import dev.livepatch.testkit.deb.DebException;
import dev.livepatch.testkit.deb.DebPackage;
import dev.livepatch.testkit.progress.Progress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's packaged kernels: the host release's ({@code debian}), a suite's current one ({@code debian:sid}) or a
 * given ABI from any of them ({@code debian:7.2.13+deb14-amd64}). The packages (image, modules, headers, kbuild)
 * are downloaded with {@code apt-get download}, unpacked in Java whatever their layout, and cached by release and
 * package version.
 */
final class DebianKernels {
    private static final Pattern ABI = Pattern.compile("\\d+\\.\\d+\\S*");
    private static final String META_PACKAGE = "linux-image-amd64";

    private final Cache cache;
    private final Progress progress;
    private final DebianSuites suites;

    DebianKernels(Cache cache, Progress progress) {
        this.cache = cache.reportingTo(progress);
        this.progress = progress;
        this.suites = new DebianSuites(cache, progress);
    }

    /**
     * @param what {@code null} for the host release's kernel, a suite name, or a kernel ABI
     */
    Kernel acquire(String what) {
        KernelResolution resolution = new KernelResolution(cache, what == null ? "default" : what);
        Optional<Kernel> known = resolution.recall(suites.listsStamp(what)).flatMap(this::describeIfPresent);
        if (known.isPresent()) {
            return known.get();
        }
        Kernel kernel = resolve(what);
        // The headers are at <entry>/usr/src/linux-headers-<release> in every layout.
        String key = kernel.buildDir()
                .getParent()
                .getParent()
                .getParent()
                .getFileName()
                .toString();
        resolution.remember(key, kernel, (KernelOrigin.DebianPackage) kernel.origin(), suites.listsStamp(what));
        return kernel;
    }

    /** Each place a Debian kernel comes from, with its current kernel ABI, without downloading any kernel. */
    List<Kernels.Offered> offered() {
        List<Kernels.Offered> offered = new ArrayList<>();
        offered.add(new Kernels.Offered("debian", currentRelease(suites.host()), "this host's apt"));
        for (String suite : DebianSuites.SUITES) {
            offered.add(new Kernels.Offered("debian:" + suite, currentRelease(suites.suite(suite)), suite));
        }
        return offered;
    }

    private Optional<Kernel> describeIfPresent(KernelResolution.Entry entry) {
        return cache.find("kernels", entry.key()).map(folder -> describe(folder, entry.release(), entry.origin()));
    }

    private Kernel resolve(String what) {
        DebianSuites.Located located = locate(what);
        Apt apt = located.apt();
        String release = located.release();
        DebianKernelPackages packages;
        try {
            packages = DebianKernelPackages.of(apt, release);
        } catch (DebException e) {
            throw new KernelException(
                    "Debian kernel " + release + " is not available from " + located.where() + ": " + e.getMessage()
                            + "\n" + DebianSuites.USAGE,
                    e);
        }
        String version =
                apt.candidates(List.of(packages.image())).get(packages.image()).version();
        String key = "debian-" + release + "-" + version.replaceAll("[^A-Za-z0-9.+-]", "_");
        Path entry = cache.find("kernels", key).orElse(null);
        if (entry == null) {
            List<DebPackage> debs = apt.download(packages.all());
            entry = cache.computeIfAbsent("kernels", key, "kernel " + release, folder -> unpack(debs, folder, release));
        }
        return describe(entry, release, new KernelOrigin.DebianPackage(located.where(), packages.image(), version));
    }

    private DebianSuites.Located locate(String what) {
        if (what == null) {
            Apt host = suites.host();
            return new DebianSuites.Located(host, currentRelease(host), "this host's apt");
        }
        if (DebianSuites.SUITES.contains(what)) {
            Apt apt = suites.suite(what);
            return new DebianSuites.Located(apt, currentRelease(apt), what);
        }
        if (ABI.matcher(what).matches()) {
            return suites.findAbi(what);
        }
        throw new KernelException("Unknown kernel 'debian:" + what + "'. " + DebianSuites.USAGE);
    }

    private static String currentRelease(Apt apt) {
        String abiPackage = apt.dependencyOf(META_PACKAGE, "linux-image-");
        return abiPackage.substring("linux-image-".length());
    }

    private void unpack(List<DebPackage> debs, Path folder, String release) throws IOException {
        progress.run("Unpacking kernel " + release, step -> {
            for (DebPackage deb : debs) {
                step.update(deb.name());
                DebArchive.extract(deb.file(), folder, name -> !name.startsWith("usr/share/"));
            }
        });
        relocateHeaders(folder.resolve("usr/src/linux-headers-" + release + "/Makefile"));
        KernelLayout.find(folder, release).config().requireLivepatchSupport("Debian " + release);
    }

    /**
     * The packaged headers' Makefile names the headers and the common headers by absolute path; make both relative
     * to the Makefile, so the tree works wherever it is unpacked (and mounted into containers).
     */
    static void relocateHeaders(Path makefile) throws IOException {
        String here = "$(dir $(realpath $(lastword $(MAKEFILE_LIST))))";
        String relocated = Files.readString(makefile, StandardCharsets.UTF_8)
                .replaceAll(
                        "(?m)^KBUILD_OUTPUT\\s*=\\s*/usr/src/\\S+$",
                        Matcher.quoteReplacement("KBUILD_OUTPUT := $(patsubst %/,%," + here + ")"))
                .replaceAll("(?m)^include /usr/src/", Matcher.quoteReplacement("include " + here + "../"));
        Files.writeString(makefile, relocated, StandardCharsets.UTF_8);
    }

    private static Kernel describe(Path entry, String release, KernelOrigin.DebianPackage origin) {
        KernelLayout layout = KernelLayout.find(entry, release);
        layout.config().requireLivepatchSupport("Debian " + release);
        return new Kernel(
                release,
                layout.image(),
                layout.configFile(),
                layout.modules(),
                layout.build(),
                layout.config().compiler(),
                origin);
    }
}
