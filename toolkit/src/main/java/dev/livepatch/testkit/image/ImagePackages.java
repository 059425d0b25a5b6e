package dev.livepatch.testkit.image;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.config.Arch;
import dev.livepatch.testkit.deb.Apt;
import dev.livepatch.testkit.deb.DebianArchive;
import dev.livepatch.testkit.deb.SuiteApt;
import dev.livepatch.testkit.progress.Progress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where an image's Debian packages come from: this host's apt for its own architecture; for another, the host
 * release's packages of that architecture through the toolkit's own apt state (no root, the host's dpkg untouched), or
 * sid's when the host release has none of that architecture (loong64 is an architecture of Debian's archive from
 * Debian 14 on: bookworm's lists have no loong64 packages).
 */
final class ImagePackages {
    /**
     * The suite whose packages of another architecture images take when the host names no Debian release, or when its
     * release has no packages of that architecture.
     */
    static final String FALLBACK_SUITE = "sid";

    /** A package every image has: a suite without it has no packages of the architecture at all. */
    static final String EVERY_IMAGE_HAS = "busybox-static";

    private ImagePackages() {}

    static Apt apt(Arch arch, Cache cache, Progress progress) {
        if (arch.isHost()) {
            return Apt.ofHost(cache, progress);
        }
        Optional<String> release = DebianArchive.hostRelease(Path.of("/etc"));
        if (release.isPresent()) {
            Apt apt = SuiteApt.of(release.get(), arch, cache.root().resolve("apt"))
                    .apt(cache, progress);
            if (apt.has(EVERY_IMAGE_HAS)) {
                return apt;
            }
            progress.note("Debian's " + release.get() + " has no " + arch.debian() + " packages: guest images of "
                    + arch + " take " + FALLBACK_SUITE + "'s");
        }
        return SuiteApt.of(FALLBACK_SUITE, arch, cache.root().resolve("apt")).apt(cache, progress);
    }

    /**
     * This host's build of busybox, to list the applets of an image of another architecture, whose busybox cannot run
     * here; empty for this host's architecture.
     */
    static Optional<Path> hostBusybox(Arch arch, Cache cache, Progress progress) {
        if (arch.isHost()) {
            return Optional.empty();
        }
        var deb =
                Apt.ofHost(cache, progress).download(List.of("busybox-static")).get(0);
        return Optional.of(PackageFiles.unpack(deb, cache).root().resolve("bin/busybox"));
    }
}
