package dev.livepatch.testkit.kbuild;

import dev.livepatch.testkit.kernel.Kernel;
import dev.livepatch.testkit.process.ExecResult;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Passes everything to a real runner and counts how often kbuild ran. */
final class CountingKbuildRunner implements KbuildRunner {
    private final KbuildRunner runner;
    private final AtomicInteger runs = new AtomicInteger();

    CountingKbuildRunner(KbuildRunner runner) {
        this.runner = runner;
    }

    int runs() {
        return runs.get();
    }

    @Override
    public String name() {
        return runner.name();
    }

    @Override
    public String compilerVersion(Kernel kernel) {
        return runner.compilerVersion(kernel);
    }

    @Override
    public ExecResult runModules(Kernel kernel, Path projectDir, int jobs, OutputStream log) {
        runs.incrementAndGet();
        return runner.runModules(kernel, projectDir, jobs, log);
    }
}
