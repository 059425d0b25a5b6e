package dev.livepatch.testkit.patch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The repository's own {@code patches/} folder, and temporary copies of its patches for tests that change them. */
public final class ProjectPatches {
    public static final List<String> ALL = List.of(
            "lpt_busy",
            "lpt_callbacks",
            "lpt_callbacks2",
            "lpt_cmdline",
            "lpt_cmdline2",
            "lpt_getcpu",
            "lpt_kprobe",
            "lpt_meminfo",
            "lpt_shadow_patch",
            "lpt_shadow_vars",
            "lpt_spin",
            "lpt_state",
            "lpt_state2",
            "lpt_state3",
            "lpt_syscall",
            "lpt_target",
            "lpt_target_patch",
            "lpt_uptime",
            "lpt_version");

    private ProjectPatches() {}

    public static Path directory() {
        Path toolkit = Path.of("").toAbsolutePath();
        return toolkit.resolveSibling("patches");
    }

    /** Copies the named patch folders into {@code target} (a patches folder of its own). */
    public static Path copy(Path target, String... names) {
        try {
            for (String name : names) {
                Path folder = Files.createDirectories(target.resolve(name));
                try (var files = Files.list(directory().resolve(name))) {
                    for (Path file : files.toList()) {
                        Files.copy(file, folder.resolve(file.getFileName()));
                    }
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies patch {@code name} as a new patch {@code newName}, renaming its source file and module. */
    public static PatchSource renamedCopy(Path target, String name, String newName) {
        try {
            Path folder = Files.createDirectories(target.resolve(newName));
            String source = Files.readString(directory().resolve(name).resolve(name + ".c"));
            Files.writeString(folder.resolve(newName + ".c"), source.replace(name, newName));
            String manifest = Files.readString(directory().resolve(name).resolve("patch.properties"));
            Files.writeString(folder.resolve("patch.properties"), manifest.replace(name, newName));
            return PatchManifest.read(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
