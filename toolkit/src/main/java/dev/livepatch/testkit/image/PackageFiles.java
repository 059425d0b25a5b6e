package dev.livepatch.testkit.image;

import dev.livepatch.testkit.cache.Cache;
import dev.livepatch.testkit.deb.DebArchive;
import dev.livepatch.testkit.deb.DebPackage;
import java.nio.file.Path;

/** A package unpacked once into the cache ({@code packages/<file>}), shared by all images. */
record PackageFiles(DebPackage deb, Path root) {
    private static final String[] SKIPPED = {
        "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale", "usr/share/lintian", "usr/share/bug"
    };

    static PackageFiles unpack(DebPackage deb, Cache cache) {
        String key = deb.file().getFileName().toString().replaceAll("\\.deb$", "");
        Path root = cache.computeIfAbsent(
                "packages",
                key,
                "package " + key,
                folder -> DebArchive.extract(deb.file(), folder, name -> {
                    for (String skipped : SKIPPED) {
                        if (name.startsWith(skipped)) {
                            return false;
                        }
                    }
                    return true;
                }));
        return new PackageFiles(deb, root);
    }
}
