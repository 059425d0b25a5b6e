package dev.livepatch.testkit.build;

import java.nio.file.Path;

/**
 * One module's sources: a folder of {@code patches/} with its C files and manifest.
 *
 * @param name the module name (the {@code .ko} file's base name)
 * @param kind livepatch or fixture
 * @param description one line, from the manifest
 * @param directory the folder holding the sources and the manifest
 */
public record PatchSource(String name, PatchKind kind, String description, Path directory) {}
