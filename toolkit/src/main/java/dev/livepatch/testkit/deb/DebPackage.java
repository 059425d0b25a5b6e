package dev.livepatch.testkit.deb;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.nio.file.Path;
import org.apiguardian.api.API;

/**
 * A downloaded binary package.
 *
 * @param name the package name, e.g. {@code busybox-static}
 * @param version the exact version, e.g. {@code 1:1.35.0-4+b3}
 * @param file the {@code .deb} file in the download cache
 */
@API(status = INTERNAL, since = "0.1")
public record DebPackage(String name, String version, Path file) {}
