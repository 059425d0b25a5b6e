package dev.livepatch.testkit.cli;

import dev.livepatch.testkit.config.Property;
import dev.livepatch.testkit.config.Settings;
import dev.livepatch.testkit.process.ExecResult;
import dev.livepatch.testkit.process.ProcessRunner;
import dev.livepatch.testkit.report.JsonResults;
import dev.livepatch.testkit.report.ReportFiles;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs the same suites on several kernels at once, each in a process of its own ({@code ./testkit test --kernel
 * SPEC}, so that no setting, guest or cache lock is shared by two kernels' runs), its lines prefixed with its kernel
 * as they come; then the kernel × suite table from each run's {@code results.json}. Ctrl-C or SIGTERM reaches every
 * run, and each stops its guests.
 */
final class KernelsSideBySide {
    /** A whole run of the suites on one kernel, its kernel and image included, may take this long. */
    private static final Duration RUN_LIMIT = Duration.ofHours(6);

    private final int atOnce;
    private final String suitesPackage;
    private final Map<Property<?>, String> settings;
    private final PrintStream out;

    KernelsSideBySide(int atOnce, String suitesPackage, Map<Property<?>, String> settings, PrintStream out) {
        this.atOnce = atOnce;
        this.suitesPackage = suitesPackage;
        this.settings = settings;
        this.out = out;
    }

    /** Runs {@code suites} on each kernel, its reports in a folder of its own under {@code dir}; the exit status. */
    int run(List<KernelTarget> kernels, List<String> suites, Path dir) {
        out.println("Running on " + kernels.size() + " kernels, " + atOnce + " at a time; each line starts with its"
                + " kernel.");
        Map<KernelTarget, Future<ExecResult>> runs = new LinkedHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(atOnce);
        try {
            for (KernelTarget kernel : kernels) {
                Path kernelDir = dir.resolve(ReportFiles.folderName(kernel.label()));
                runs.put(
                        kernel,
                        pool.submit(() -> ProcessRunner.create()
                                .echoingTo(new LinePrefixing(out, "[" + kernel.label() + "] "))
                                .exec(command(kernel, suites, kernelDir), RUN_LIMIT)));
            }
            KernelMatrix matrix = new KernelMatrix();
            Map<String, Path> pages = new LinkedHashMap<>();
            int status = 0;
            for (Map.Entry<KernelTarget, Future<ExecResult>> run : runs.entrySet()) {
                String spec = run.getKey().label();
                Path kernelDir = dir.resolve(ReportFiles.folderName(spec));
                ExecResult result = run.getValue().get();
                status = Math.max(status, result.exitCode());
                Path results = kernelDir.resolve("results.json");
                if (Files.isRegularFile(results)) {
                    matrix.add(spec, TagTally.bySuite(JsonResults.read(results).suites()));
                    pages.put(spec, dir.relativize(kernelDir.resolve("report.html")));
                } else {
                    out.println("[" + spec + "] ended with exit status " + result.exitCode() + " before any test ran.");
                }
            }
            out.println();
            out.print(matrix.render());
            ReportFiles.write(dir.resolve("report.html"), matrix.html(pages));
            out.println("The kernels' HTML reports: " + dir.resolve("report.html"));
            return Math.max(status, matrix.anyFailed() ? 1 : 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (ExecutionException e) {
            throw new IllegalStateException(
                    "A kernel's run could not be started: " + e.getCause().getMessage(), e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** This JVM's command, its {@code livepatch.*} system properties and the run's settings, on one kernel. */
    private List<String> command(KernelTarget kernel, List<String> suites, Path kernelDir) {
        List<String> command = new ArrayList<>(List.of("java", "-cp", System.getProperty("java.class.path")));
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith("livepatch."))
                .sorted()
                .forEach(name -> command.add("-D" + name + "=" + System.getProperty(name)));
        settings.forEach((setting, value) -> command.add("-D" + setting.name() + "=" + value));
        if (suitesPackage != null) {
            command.add("-D" + Settings.SUITES_PACKAGE.name() + "=" + suitesPackage);
        }
        command.add(Main.class.getName());
        command.addAll(List.of("test", "--kernel", kernel.kernel().toString(), "--reports", kernelDir.toString()));
        kernel.arch().ifPresent(arch -> command.addAll(List.of("--arch", arch.name())));
        command.addAll(suites);
        return command;
    }

    /** Copies whole lines to {@code out}, each after {@code prefix}. */
    private static final class LinePrefixing extends OutputStream {
        private final PrintStream out;
        private final String prefix;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LinePrefixing(PrintStream out, String prefix) {
            this.out = out;
            this.prefix = prefix;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                out.println(prefix + line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }

        @Override
        public synchronized void close() {
            if (line.size() > 0) {
                write('\n');
            }
        }
    }
}
