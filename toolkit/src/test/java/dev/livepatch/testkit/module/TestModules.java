package dev.livepatch.testkit.module;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Real modules built from {@code patches/} against Debian's 6.1.0-56-amd64 headers with gcc-12, stripped of debug
 * information: {@code lpt_meminfo.ko} (a livepatch with an int parameter) and {@code lpt_target.ko} (a plain module).
 */
final class TestModules {
    static final String RELEASE = "6.1.0-56-amd64";

    private TestModules() {}

    static Path livepatch() {
        return resource("lpt_meminfo.ko");
    }

    static Path plainModule() {
        return resource("lpt_target.ko");
    }

    private static Path resource(String name) {
        try {
            return Path.of(TestModules.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
