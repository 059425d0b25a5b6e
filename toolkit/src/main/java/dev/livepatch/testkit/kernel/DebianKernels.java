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
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Debian's packaged kernel: the unsigned image, headers, common headers and kbuild packages, downloaded with
 * {@code apt-get download}, unpacked in Java and cached by release and package version.
 */
final class DebianKernels {
    private static final String META_PACKAGE = "linux-image-amd64";

    private final Cache cache;
    private final Progress progress;
    private final Apt apt;

    DebianKernels(Cache cache, Progress progress) {
        this.cache = cache.reportingTo(progress);
        this.progress = progress;
        this.apt = new Apt(cache.root().resolve("debs"), progress);
    }

    Kernel acquire(String requestedRelease) {
        KernelResolution resolution =
                new KernelResolution(cache, requestedRelease == null ? "default" : requestedRelease);
        Optional<Kernel> known = resolution.recall().flatMap(this::describeIfPresent);
        if (known.isPresent()) {
            return known.get();
        }
        Kernel kernel = resolve(requestedRelease);
        resolution.remember(kernel);
        return kernel;
    }

    private Optional<Kernel> describeIfPresent(KernelResolution.Entry entry) {
        return cache.find("kernels", entry.key()).map(folder -> describe(folder, entry.release(), entry.source()));
    }

    private Kernel resolve(String requestedRelease) {
        String release = requestedRelease != null ? requestedRelease : currentRelease();
        String headers = "linux-headers-" + release;
        List<String> packages;
        try {
            packages = List.of(
                    "linux-image-" + release + "-unsigned",
                    headers,
                    apt.dependencyOf(headers, "linux-headers-"),
                    apt.dependencyOf(headers, "linux-kbuild-"));
        } catch (DebException e) {
            throw new KernelException(
                    "Debian kernel " + release + " is not available from apt: " + e.getMessage()
                            + "\nCheck the release name (e.g. 6.1.0-56-amd64) or run 'apt-get update'.",
                    e);
        }
        String version =
                apt.candidates(List.of(packages.get(0))).get(packages.get(0)).version();
        String key = "debian-" + release + "-" + version.replaceAll("[^A-Za-z0-9.+-]", "_");
        Path entry = cache.find("kernels", key).orElse(null);
        if (entry == null) {
            List<DebPackage> debs = apt.download(packages);
            entry = cache.computeIfAbsent("kernels", key, "kernel " + release, folder -> unpack(debs, folder, release));
        }
        return describe(entry, release, "Debian " + packages.get(0) + " " + version);
    }

    private String currentRelease() {
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
        Path headersMakefile = folder.resolve("usr/src/linux-headers-" + release + "/Makefile");
        String makefile = Files.readString(headersMakefile, StandardCharsets.UTF_8);
        // The packaged Makefile includes the common headers by absolute path; make it relative to itself so the
        // tree works wherever it is unpacked (and mounted into containers).
        String relocated = makefile.replaceAll(
                "(?m)^include /usr/src/",
                Matcher.quoteReplacement("include $(dir $(realpath $(lastword $(MAKEFILE_LIST))))../"));
        Files.writeString(headersMakefile, relocated, StandardCharsets.UTF_8);
        Path config = folder.resolve("boot/config-" + release);
        KernelConfig.read(config).requireLivepatchSupport("Debian " + release);
    }

    private static Kernel describe(Path entry, String release, String source) {
        Path config = entry.resolve("boot/config-" + release);
        KernelConfig kernelConfig = KernelConfig.read(config);
        kernelConfig.requireLivepatchSupport("Debian " + release);
        Path image = entry.resolve("boot/vmlinuz-" + release);
        Path modules = entry.resolve("lib/modules/" + release);
        Path build = entry.resolve("usr/src/linux-headers-" + release);
        for (Path required : List.of(image, modules, build.resolve("Module.symvers"))) {
            if (!Files.exists(required)) {
                throw new KernelException("Cached kernel " + entry + " is incomplete (" + required
                        + " is missing). Remove it with './testkit cache clean' and retry.");
            }
        }
        return new Kernel(release, image, config, modules, build, kernelConfig.compiler(), source);
    }
}
