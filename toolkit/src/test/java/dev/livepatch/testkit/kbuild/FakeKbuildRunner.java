package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ExecResult;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An in-process stand-in for kbuild, for fast tests of what the builder does around it: it records each run's
 * top-level Kbuild, then plays a scripted outcome (writing log text and module files into the staged project).
 */
public final class FakeKbuildRunner implements KbuildRunner {
    public static final String COMPILER = "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0";

    /** What one kbuild run does to the staged project. */
    interface Outcome {
        int run(Path project, OutputStream log) throws IOException;
    }

    private final Outcome outcome;
    private final List<String> kbuildFiles = new ArrayList<>();

    FakeKbuildRunner(Outcome outcome) {
        this.outcome = outcome;
    }

    /** A run that "builds" each listed module by copying a real module file of the same name. */
    static FakeKbuildRunner copying(Path... modules) {
        return new FakeKbuildRunner((project, log) -> {
            for (Path module : modules) {
                String name = module.getFileName().toString().replace(".ko", "");
                if (Files.isDirectory(project.resolve(name))) {
                    Files.copy(module, project.resolve(name).resolve(name + ".ko"));
                    log.write(("  LD [M]  " + project.resolve(name).resolve(name + ".ko") + "\n")
                            .getBytes(StandardCharsets.UTF_8));
                }
            }
            return 0;
        });
    }

    /** The top-level Kbuild of each run so far. */
    List<String> kbuildFiles() {
        return kbuildFiles;
    }

    @Override
    public String name() {
        return "fake";
    }

    @Override
    public String compilerVersion(Kernel kernel) {
        return COMPILER;
    }

    @Override
    public ExecResult runModules(Kernel kernel, Path projectDir, int jobs, OutputStream log) {
        try {
            kbuildFiles.add(Files.readString(projectDir.resolve("Kbuild")));
            int exit = outcome.run(projectDir, log);
            return new ExecResult("make M=" + projectDir + " modules", exit, "", "", Duration.ZERO);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
