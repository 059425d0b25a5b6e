package dev.livepatch.testkit.deb;

import java.nio.file.Path;

/**
 * A downloaded binary package.
 *
 * @param name the package name, e.g. {@code busybox-static}
 * @param version the exact version, e.g. {@code 1:1.35.0-4+b3}
 * @param file the {@code .deb} file in the download cache
 */
public record DebPackage(String name, String version, Path file) {}
