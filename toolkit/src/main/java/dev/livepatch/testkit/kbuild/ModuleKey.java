package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.patch.ModuleBuildException;
import dev.livepatch.testkit.patch.PatchFiles;
import dev.livepatch.testkit.patch.PatchSource;
import dev.livepatch.testkit.util.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What a built module depends on, and the cache key derived from it: the patch's files (and those of the patches it
 * includes), the kernel release and build (its symbol versions and config: a rebuilt kernel tree keeps its release
 * but may change both), the compiler and the build backend. Paths do not count, so a moved checkout still hits the
 * cache.
 *
 * @param inputs one line per input, hashed into the key
 */
record ModuleKey(String name, List<String> inputs) {
    private static final String FORMAT = "livepatch-testkit module key 2";

    /**
     * @param kernelBuild what the kernel's build folder says about its symbols and config: {@link #kernelBuild}
     */
    static ModuleKey of(
            PatchSource source, String release, String kernelBuild, String compilerVersion, String backend) {
        List<String> inputs = new ArrayList<>();
        inputs.add(FORMAT);
        inputs.add("backend " + backend);
        inputs.add("kernel " + release);
        inputs.add("kernel build " + kernelBuild);
        inputs.add("compiler " + compilerVersion);
        inputs.add("patch " + source.name() + " " + source.kind().name().toLowerCase(Locale.ROOT));
        addFiles(inputs, source.name(), source.directory());
        for (String include : source.includes()) {
            addFiles(inputs, include, source.includedDirectory(include));
        }
        return new ModuleKey(source.name(), List.copyOf(inputs));
    }

    /** The hashes of a kernel build folder's {@code Module.symvers} and {@code .config}, "none" for a missing one. */
    static String kernelBuild(Path buildDir) {
        return "symbols " + fileHash(buildDir.resolve("Module.symvers")) + " config "
                + fileHash(buildDir.resolve(".config"));
    }

    private static String fileHash(Path file) {
        if (!Files.isRegularFile(file)) {
            return "none";
        }
        try {
            return Sha256.of(file).hex();
        } catch (IOException e) {
            throw new ModuleBuildException("Could not read " + file, e);
        }
    }

    /** The cache entry name: the module name and a hash of the inputs. */
    String value() {
        return name + "-" + Sha256.of(String.join("\n", inputs)).prefix(32);
    }

    /** The inputs as a text file's content, kept next to the built module. */
    String describe() {
        return String.join("\n", inputs) + "\n";
    }

    private static void addFiles(List<String> inputs, String folder, Path directory) {
        for (Path file : PatchFiles.of(directory)) {
            try {
                inputs.add("file " + folder + "/" + file.getFileName() + " "
                        + Sha256.of(file).hex());
            } catch (IOException e) {
                throw new ModuleBuildException("Could not read " + file, e);
            }
        }
    }
}
